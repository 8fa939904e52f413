import type { NextFunction, Request, Response } from 'express';
import { RequestError } from '../errors';

/**
 * Refuses a path with a broken percent-escape (`/model/%ZZ`, `/model/%E0%A4%A`) with 400
 * `MALFORMED_URL`, before routing: otherwise the router's parameter decoding throws a `URIError`
 * that would be a 500 and a stack trace in the log. Paths without `%` cost one `includes`.
 *
 * @example
 * app.use(rejectMalformedUrl); // GET /model/%ZZ -> 400 { error: { code: 'MALFORMED_URL', ... } }
 */
export function rejectMalformedUrl(req: Request, _res: Response, next: NextFunction): void {
  const { path } = req;
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch (error) {
      next(
        new RequestError(
          'MALFORMED_URL',
          `${JSON.stringify(path.slice(0, 200))}: expected a path whose % escapes are UTF-8 (%2F, %C3%A9), found a broken one`,
          { cause: error },
        ),
      );
      return;
    }
  }
  next();
}
