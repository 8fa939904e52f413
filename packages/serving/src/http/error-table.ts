/**
 * The one table of error codes a client can receive: HTTP status and a one-line meaning for each.
 * The error middleware answers from it, `/openapi.json` is generated from it, and a test checks the
 * README's error table against it.
 */
import type { ImageErrorCode } from '@lenet/image';
import type { ImageFailureCode, ServingErrorCode } from '../errors';

/** `@lenet/image` codes that clients see under another name: the format check is the media-type check. */
const RENAMED = { IMAGE_UNSUPPORTED_FORMAT: 'UNSUPPORTED_MEDIA_TYPE' } as const satisfies Partial<
  Record<ImageErrorCode, ServingErrorCode>
>;

/** A code that can reach a client: every code raised anywhere, minus the renamed ones. */
export type PublicErrorCode = ServingErrorCode | Exclude<ImageErrorCode, keyof typeof RENAMED>;

/** Status and meaning of one code. */
export interface ErrorTableEntry {
  status: number;
  /** One line, Markdown backticks allowed; shown in the README and the OpenAPI document. */
  meaning: string;
}

/**
 * Every public code, in the order the README lists them. `satisfies` makes a code added to any
 * const list (here or in `@lenet/image`) fail the build until it has a row.
 */
export const ERROR_TABLE = {
  MISSING_FILE: {
    status: 400,
    meaning: 'no body, no `file` part, a text field named `file`, a non-image content type',
  },
  UNEXPECTED_FIELD: { status: 400, meaning: 'a file part with another name (`image`, ...)' },
  MALFORMED_MULTIPART: { status: 400, meaning: 'no boundary, unterminated body, broken part headers' },
  MALFORMED_URL: { status: 400, meaning: 'a path with a broken percent-escape (`/model/%ZZ`)' },
  BAD_REQUEST: {
    status: 400,
    meaning: "HTTP the server's parser refuses (a lying `Content-Length`, bad chunking); the connection is closed",
  },
  IMAGE_TRUNCATED: { status: 400, meaning: 'the file ends inside its header' },
  IMAGE_DECODE_FAILED: {
    status: 400,
    meaning: 'the header looks right but the data cannot be decoded (corrupt or cut short)',
  },
  NOT_FOUND: { status: 404, meaning: 'no such route or model file' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'e.g. `GET /predict` (with `Allow`)' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'the headers or body did not arrive in time; the connection is closed' },
  UPLOAD_TOO_LARGE: { status: 413, meaning: 'a file or raw body over `--max-upload-mb`' },
  TOO_MANY_FILES: { status: 413, meaning: 'two files on `/predict`, more than `--max-files` on `/predict/batch`' },
  TOO_MANY_PARTS: { status: 413, meaning: 'more than 16 text fields or too many parts' },
  FIELD_TOO_LARGE: { status: 413, meaning: 'a text field over 64 KiB' },
  IMAGE_TOO_MANY_PIXELS: {
    status: 413,
    meaning: 'the header announces more than `--max-pixels` (checked before decoding)',
  },
  IMAGE_TOO_COMPLEX: {
    status: 413,
    meaning: 'decoding would need more memory than a worker may use (huge tag counts, declared sizes)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'not PNG, JPEG, GIF, BMP or TIFF by its first bytes, whatever the name says',
  },
  UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    meaning: 'a `Content-Encoding` other than `identity` (images are compressed already)',
  },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'more header bytes than Node accepts; the connection is closed' },
  IMAGE_NO_DIGIT: { status: 422, meaning: 'the image decodes but holds nothing that looks like a digit' },
  IMAGE_DECODE_TIMEOUT: { status: 422, meaning: 'decoding took longer than the per-image deadline' },
  // Never reaches the client (it has gone); nginx's code keeps such lines apart in logs and metrics.
  CLIENT_CLOSED_REQUEST: { status: 499, meaning: 'logs and metrics only: the client hung up mid-upload' },
  OVERLOADED: { status: 503, meaning: 'the queue is full (`--max-queue`); `Retry-After: 1`' },
  WORKER_CRASHED: { status: 503, meaning: 'a worker died while holding the image (it is replaced); `Retry-After: 1`' },
  WORKER_TIMEOUT: { status: 503, meaning: 'a worker did not answer in time (it is replaced); `Retry-After: 1`' },
  WORKER_START_FAILED: { status: 503, meaning: 'a replacement worker could not start; `Retry-After: 1`' },
  NO_WORKER_READY: { status: 503, meaning: 'no worker is ready yet (a replacement is starting); `Retry-After: 1`' },
  SHUTTING_DOWN: { status: 503, meaning: 'the server is draining' },
  INTERNAL_ERROR: { status: 500, meaning: 'a bug; the log has the stack' },
} as const satisfies Record<PublicErrorCode, ErrorTableEntry>;

/** Every public code, in table order. */
export const PUBLIC_ERROR_CODES = Object.keys(ERROR_TABLE) as PublicErrorCode[];

/**
 * The code a client sees for a code raised anywhere (renamed, or itself); undefined for a string that
 * is no known code, which the error middleware treats as a bug.
 *
 * @example
 * publicCode('IMAGE_UNSUPPORTED_FORMAT'); // 'UNSUPPORTED_MEDIA_TYPE'
 * publicCode('IMAGE_NO_DIGIT');           // 'IMAGE_NO_DIGIT'
 * publicCode('ENOENT');                   // undefined
 */
export function publicCode(code: string): PublicErrorCode | undefined {
  if (Object.hasOwn(RENAMED, code)) return RENAMED[code as keyof typeof RENAMED];
  return Object.hasOwn(ERROR_TABLE, code) ? (code as PublicErrorCode) : undefined;
}

/**
 * Narrows a code from the worker protocol (a plain string until the protocol types it) to the
 * codes an image failure may carry.
 *
 * @example
 * isImageFailureCode('IMAGE_DECODE_TIMEOUT'); // true
 * isImageFailureCode('OVERLOADED');           // false
 */
export function isImageFailureCode(code: string): code is ImageFailureCode {
  return code.startsWith('IMAGE_') && publicCode(code) !== undefined;
}

/**
 * The README's error table, in Markdown: one row per code, ordered as {@link ERROR_TABLE}.
 *
 * @example
 * errorTableMarkdown().split('\n')[2]; // '| 400    | `MISSING_FILE` | no body, ... |' (padded to aligned columns)
 */
export function errorTableMarkdown(): string {
  const rows = Object.entries(ERROR_TABLE).map(([code, entry]) => [String(entry.status), `\`${code}\``, entry.meaning]);
  const header = ['status', 'code', 'when'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
