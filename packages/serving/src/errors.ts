/**
 * Errors of the server. Every one carries a stable `code`; the one error middleware
 * (`http/error-handler.ts`) turns codes into HTTP statuses, and nothing else in the server does.
 */

/**
 * A flag or environment variable with a value the server cannot run with.
 *
 * @example
 * new ConfigError("--port: expected an integer from 0 to 65535, found 'http'").code; // 'CONFIG_INVALID'
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Codes of {@link RequestError}: what was wrong with a request, as the client sees it. */
export type RequestErrorCode =
  | 'MISSING_FILE'
  | 'UNEXPECTED_FIELD'
  | 'TOO_MANY_FILES'
  | 'TOO_MANY_PARTS'
  | 'FIELD_TOO_LARGE'
  | 'UPLOAD_TOO_LARGE'
  | 'MALFORMED_MULTIPART'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CLIENT_CLOSED_REQUEST'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED';

/**
 * Something about the request itself (not the image in it) is wrong: no file, the wrong field,
 * a body over the limits, a broken multipart body.
 *
 * @example
 * new RequestError('MISSING_FILE', "expected a multipart part named 'file', found none").code; // 'MISSING_FILE'
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The queue of images waiting for a worker is full: the client should come back later
 * (503 with `Retry-After`) instead of the server queueing without bound.
 *
 * @example
 * new OverloadedError(512, 1).message; // 'server busy: expected at most 512 queued images, found the queue full; retry after 1 s'
 */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError';
  readonly code = 'OVERLOADED';
  constructor(
    readonly capacity: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `server busy: expected at most ${capacity} queued images, found the queue full; retry after ${retryAfterSeconds} s`,
    );
  }
}

/**
 * A worker could not use one uploaded image: not an image by its bytes, truncated, corrupt, too many
 * pixels, or no digit in it. `code` is the `@lenet/image` code (`IMAGE_DECODE_FAILED`, ...), sent
 * back from the worker thread as plain data.
 *
 * @example
 * new ImageRejectedError('IMAGE_NO_DIGIT', 'blank.png: no digit found: every pixel is 255').code; // 'IMAGE_NO_DIGIT'
 */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Codes of {@link WorkerError}. */
export type WorkerErrorCode =
  | 'WORKER_CRASHED'
  | 'WORKER_TIMEOUT'
  | 'WORKER_START_FAILED'
  | 'NO_WORKER_READY'
  | 'SHUTTING_DOWN';

/**
 * A worker thread died, hung, or could not start; or the pool is shutting down. Requests caught in
 * it are answered with 503, never left hanging.
 *
 * @example
 * new WorkerError('WORKER_CRASHED', 'worker 2 exited with code 1 while classifying 8 images').code; // 'WORKER_CRASHED'
 */
export class WorkerError extends Error {
  override readonly name = 'WorkerError';
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The server could not start: the checkpoint is missing or corrupt, the backend is unavailable, or
 * the port is taken. `code` is the underlying error's (`CHECKPOINT_NOT_FOUND`, `EADDRINUSE`, ...).
 *
 * @example
 * new StartupError('CHECKPOINT_NOT_FOUND', 'output/checkpoint: no such checkpoint ...').code; // 'CHECKPOINT_NOT_FOUND'
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
