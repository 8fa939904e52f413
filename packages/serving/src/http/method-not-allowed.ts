import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RequestError } from '../errors';

/**
 * Answers any other method on a route with 405 and `Allow`.
 *
 * @example
 * router.route('/predict').post(handler).all(methodNotAllowed('POST')); // GET /predict -> 405 METHOD_NOT_ALLOWED
 */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Allow', allowed.join(', '));
    next(new RequestError('METHOD_NOT_ALLOWED', `${req.path}: expected ${allowed.join(' or ')}, found ${req.method}`));
  };
}
