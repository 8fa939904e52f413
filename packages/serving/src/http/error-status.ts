/**
 * The one table from error codes to HTTP statuses. The error middleware answers with it, and the
 * batch route uses it for the per-file errors inside a 200 response, so both always agree.
 */

/** What the client is told about an error. */
export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  /** Seconds for `Retry-After`, on 503. */
  retryAfter?: number;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  MISSING_FILE: 400,
  UNEXPECTED_FIELD: 400,
  MALFORMED_MULTIPART: 400,
  TOO_MANY_FILES: 413,
  TOO_MANY_PARTS: 413,
  FIELD_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IMAGE_TRUNCATED: 400,
  IMAGE_DECODE_FAILED: 400,
  IMAGE_TOO_MANY_PIXELS: 413,
  // Well-formed image, but nothing in it to classify: the request is understood, its content is not usable.
  IMAGE_NO_DIGIT: 422,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // Never reaches the client (it has gone); nginx's code keeps such lines apart in logs and metrics.
  CLIENT_CLOSED_REQUEST: 499,
  OVERLOADED: 503,
  WORKER_CRASHED: 503,
  WORKER_TIMEOUT: 503,
  WORKER_START_FAILED: 503,
  NO_WORKER_READY: 503,
  SHUTTING_DOWN: 503,
};

/** Codes of other packages renamed for clients: the format check is the media-type check. */
const RENAMED: Readonly<Record<string, string>> = { IMAGE_UNSUPPORTED_FORMAT: 'UNSUPPORTED_MEDIA_TYPE' };

/** body-parser's error types (raw image bodies). */
const BODY_PARSER_TYPES: Readonly<Record<string, string>> = {
  'entity.too.large': 'UPLOAD_TOO_LARGE',
  'request.aborted': 'CLIENT_CLOSED_REQUEST',
  'request.size.invalid': 'MALFORMED_MULTIPART',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
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
  let code = typeof data.code === 'string' ? (RENAMED[data.code] ?? data.code) : undefined;
  if (typeof data.type === 'string' && BODY_PARSER_TYPES[data.type] !== undefined) code = BODY_PARSER_TYPES[data.type];
  const status = code === undefined ? undefined : STATUS_BY_CODE[code];
  if (code === undefined || status === undefined) {
    return {
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'the server failed to handle this request; the log has details',
    };
  }
  const reply: ErrorReply = { status, code, message };
  if (status === 503) reply.retryAfter = typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : 1;
  return reply;
}
