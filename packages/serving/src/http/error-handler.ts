import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { RequestError } from '../errors';
import { describeError } from './error-status';

/**
 * The one place errors become HTTP responses: `{"error": {"code", "message"}}` with the status from
 * {@link describeError}, `Retry-After` on 503. Unknown errors are bugs: logged with their stack,
 * answered 500 without details.
 *
 * @example
 * app.use(errorHandler(logger)); // last
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const reply = describeError(error);
    res.locals.errorCode = reply.code;
    if (reply.status === 500) {
      logger.error('unhandled error', {
        id: res.locals.requestId,
        route: req.path,
        error: error instanceof Error ? error.stack : String(error),
      });
    }
    // req.destroyed is no sign of a gone client: a request read to its end is destroyed too.
    if (res.headersSent || req.socket.destroyed) {
      // Nothing more can be said on this connection.
      if (!res.writableEnded) res.destroy();
      return;
    }
    if (reply.retryAfter !== undefined) res.setHeader('Retry-After', String(reply.retryAfter));
    res.status(reply.status).json({ error: { code: reply.code, message: reply.message } });
  };
}

/**
 * Last route: anything unmatched is a 404 in the same error shape.
 *
 * @example
 * app.use(notFound); // GET /nope -> 404 { error: { code: 'NOT_FOUND', message: "GET /nope: ..." } }
 */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(
    new RequestError(
      'NOT_FOUND',
      `${req.method} ${req.path}: expected one of /predict, /predict/batch, /, /docs, /openapi.json, /healthz, /readyz, /metrics, /model/model.json; found no such route`,
    ),
  );
}
