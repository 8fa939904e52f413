/**
 * Errors of the page. Each carries a stable `code`; `describeError` in `messages.ts` is the one
 * place that turns them into the words a person reads in the alert.
 */

/**
 * The server answered `POST /predict` with an error: `code` and `message` are the server's own
 * (`{"error":{"code","message"}}`), so the person reads what the server said.
 *
 * @example
 * new ServerError(415, 'IMAGE_UNSUPPORTED_FORMAT', 'notes.png: expected PNG, JPEG, ... found 68 65 6c 6c').status; // 415
 */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes of {@link PageError}: what went wrong on the page's side. */
export type PageErrorCode = 'NETWORK_FAILED' | 'BAD_RESPONSE' | 'MODEL_LOAD_FAILED' | 'IMAGE_UNREADABLE' | 'NO_DIGIT';

/**
 * Something failed in the page rather than on the server: the server could not be reached or sent
 * an answer of the wrong shape, the in-browser model did not load, or the browser could not read a
 * file.
 *
 * @example
 * new PageError('MODEL_LOAD_FAILED', 'model/model.json: expected HTTP 200, found 404').code; // 'MODEL_LOAD_FAILED'
 */
export class PageError extends Error {
  override readonly name = 'PageError';
  constructor(
    readonly code: PageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
