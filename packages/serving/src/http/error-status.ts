/**
 * Codes and statuses of any error, from the one table (`error-table.ts`). The error middleware
 * answers with it, and the batch route uses it for the per-file errors inside a 200 response, so
 * both always agree.
 */
import { ERROR_TABLE, type PublicErrorCode, publicCode } from './error-table';

/** What the client is told about an error. */
export interface ErrorReply {
  status: number;
  code: PublicErrorCode;
  message: string;
  /** Seconds for `Retry-After`, on 503. */
  retryAfter?: number;
}

/** body-parser's error types (raw image bodies). */
const BODY_PARSER_TYPES: Readonly<Record<string, PublicErrorCode>> = {
  'entity.too.large': 'UPLOAD_TOO_LARGE',
  'request.aborted': 'CLIENT_CLOSED_REQUEST',
  'request.size.invalid': 'MALFORMED_MULTIPART',
  'encoding.unsupported': 'UNSUPPORTED_CONTENT_ENCODING',
};

/**
 * Status, public code and message for any error. Errors with a known `code` keep their message;
 * anything else is a bug in the server: 500 with a generic message (details go to the log).
 *
 * @example
 * describeError(new RequestError('MISSING_FILE', "expected a part named 'file', found none"));
 * // { status: 400, code: 'MISSING_FILE', message: "expected a part named 'file', found none" }
 * describeError({ code: 'IMAGE_UNSUPPORTED_FORMAT', message: 'x.png: expected a PNG, ...' });
 * // { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'x.png: expected a PNG, ...' }
 */
export function describeError(error: unknown): ErrorReply {
  const data = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    type?: unknown;
    message?: unknown;
    retryAfterSeconds?: unknown;
  };
  const message = typeof data.message === 'string' ? data.message : String(error);
  let code = typeof data.code === 'string' ? publicCode(data.code) : undefined;
  if (typeof data.type === 'string' && Object.hasOwn(BODY_PARSER_TYPES, data.type)) code = BODY_PARSER_TYPES[data.type];
  if (code === undefined || code === 'INTERNAL_ERROR') {
    return {
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'the server failed to handle this request; the log has details',
    };
  }
  const { status } = ERROR_TABLE[code];
  const reply: ErrorReply = { status, code, message };
  if (status === 503) reply.retryAfter = typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : 1;
  return reply;
}
