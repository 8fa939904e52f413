/**
 * Errors of the server. Every one carries a stable `code`; the one error middleware
 * (`http/error-handler.ts`) turns codes into HTTP statuses, and nothing else in the server does.
 */
import type { ImageErrorCode } from '@lenet/image';

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
export const REQUEST_ERROR_CODES = [
  'MISSING_FILE',
  'UNEXPECTED_FIELD',
  'TOO_MANY_FILES',
  'TOO_MANY_PARTS',
  'FIELD_TOO_LARGE',
  'UPLOAD_TOO_LARGE',
  'MALFORMED_MULTIPART',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNSUPPORTED_CONTENT_ENCODING',
  'CLIENT_CLOSED_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'MALFORMED_URL',
  'BAD_REQUEST',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
] as const;

/** A code of {@link RequestError}. */
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];

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
 * Codes of {@link DecodeBudgetError}: an image that would have held a worker past its decode
 * deadline or memory ceiling. Raised by the worker pool, which terminates and replaces that worker.
 */
export const DECODE_BUDGET_ERROR_CODES = ['IMAGE_DECODE_TIMEOUT', 'IMAGE_TOO_COMPLEX'] as const;

/** A code of {@link DecodeBudgetError}. */
export type DecodeBudgetErrorCode = (typeof DECODE_BUDGET_ERROR_CODES)[number];

/**
 * One image went over its decode budget: past the deadline (`IMAGE_DECODE_TIMEOUT`) or past the
 * worker's memory ceiling or a declared-size check (`IMAGE_TOO_COMPLEX`). Only that image fails.
 *
 * @example
 * new DecodeBudgetError('IMAGE_DECODE_TIMEOUT', 'scan.tif: expected decoding within 2000 ms, found it still running').code; // 'IMAGE_DECODE_TIMEOUT'
 */
export class DecodeBudgetError extends Error {
  override readonly name = 'DecodeBudgetError';
  constructor(
    readonly code: DecodeBudgetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Why one image failed, as it crosses the worker boundary in an `ItemFailure`: a `@lenet/image`
 * code or a decode budget code. Typed, so a code the error table does not know cannot be sent.
 */
export type ImageFailureCode = ImageErrorCode | DecodeBudgetErrorCode;

/**
 * A worker could not use one uploaded image: not an image by its bytes, truncated, corrupt, too many
 * pixels, over its decode budget, or no digit in it. `code` is the worker's, sent back as plain data.
 *
 * @example
 * new ImageRejectedError('IMAGE_NO_DIGIT', 'blank.png: no digit found: every pixel is 255').code; // 'IMAGE_NO_DIGIT'
 */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  constructor(
    readonly code: ImageFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/** Codes of {@link WorkerError}. */
export const WORKER_ERROR_CODES = [
  'WORKER_CRASHED',
  'WORKER_TIMEOUT',
  'WORKER_START_FAILED',
  'NO_WORKER_READY',
  'SHUTTING_DOWN',
] as const;

/** A code of {@link WorkerError}. */
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

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

/** Codes the server raises itself (the image codes come from `@lenet/image`). */
export const SERVING_ERROR_CODES = [
  ...REQUEST_ERROR_CODES,
  'OVERLOADED',
  ...WORKER_ERROR_CODES,
  ...DECODE_BUDGET_ERROR_CODES,
  'INTERNAL_ERROR',
] as const;

/** A code the server raises itself. */
export type ServingErrorCode = (typeof SERVING_ERROR_CODES)[number];
