import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';

const INCOMING_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (the client's `X-Request-Id` when it is sane, else a UUID), echoes it in
 * the response, and when the response ends logs one line and reports it to `onDone`: id, method,
 * route pattern (not the raw path, so metrics keep few labels), status, milliseconds.
 * A client that went away before the answer is logged with status 499.
 *
 * @example
 * app.use(requestLog(logger, (method, route, status, seconds) => metrics.request(method, route, status, seconds)));
 * // {"level":"info","message":"request","id":"3b1f...","method":"POST","route":"/predict","status":200,"ms":2.41,...}
 */
export function requestLog(
  logger: Logger,
  onDone: (method: string, route: string, status: number, seconds: number) => void,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    // One listener: a response emits 'close' after 'finish', and also when the client hangs up first.
    res.once('close', () => {
      const ms = performance.now() - started;
      const route = (req.route as { path?: string } | undefined)?.path ?? '(unmatched)';
      const status = res.writableFinished ? res.statusCode : 499;
      onDone(req.method, route, status, ms / 1000);
      // Checked first so that at --log-level warn a request costs no log object at all.
      if (logger.isInfoEnabled()) {
        const code = res.locals.errorCode as string | undefined;
        logger.info(
          'request',
          code === undefined
            ? { id, method: req.method, route, status, ms: Math.round(ms * 100) / 100 }
            : { id, method: req.method, route, status, ms: Math.round(ms * 100) / 100, code },
        );
      }
    });
    next();
  };
}
