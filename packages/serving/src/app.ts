import express, { type Express } from 'express';
import type { Logger } from './logger';
import type { ServerConfig } from './config';
import { errorHandler, notFound } from './http/error-handler';
import type { OpenApiSpec } from './http/openapi';
import { rejectMalformedUrl } from './http/reject-malformed-url';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import type { ServerMetrics } from './http/server-metrics';
import { healthRoutes } from './routes/health-routes';
import { infoRoutes } from './routes/info-routes';
import { modelFileRoutes, type ModelFiles } from './routes/model-files';
import { predictRoutes } from './routes/predict-routes';
import type { Batcher } from './worker/batcher';
import type { ModelIdentity, WorkerPool } from './worker/worker-pool';

/** Everything the routes need, made once by `startServer`. */
export interface AppParts {
  config: ServerConfig;
  logger: Logger;
  pool: WorkerPool;
  batcher: Batcher;
  identity: ModelIdentity;
  metrics: ServerMetrics;
  spec: OpenApiSpec;
  modelFiles: ModelFiles;
  webDist: string | null;
  isDraining: () => boolean;
}

/**
 * The Express application: request log first, security headers, routes, 404, and the one error
 * middleware last.
 *
 * @example
 * const app = createApp(parts);
 * http.createServer(app).listen(8000);
 */
export function createApp(parts: AppParts): Express {
  const { config, logger, metrics } = parts;
  const app = express();
  // No ETag hashing of every JSON answer, no framework banner.
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.use(requestLog(logger, metrics.request));
  app.use(securityHeaders());
  app.use(rejectMalformedUrl);
  app.use((_req, res, next) => {
    // While draining, every answer closes its connection so keep-alive clients move elsewhere. Decided
    // when the headers go out, not when the request came in: a request in flight at SIGTERM must close
    // its connection too, or a client (nginx) reuses a socket the drain is about to cut.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      if (parts.isDraining() && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  });
  app.use(
    predictRoutes({
      batcher: parts.batcher,
      identity: parts.identity,
      maxUploadBytes: Math.floor(config.maxUploadMb * 1024 * 1024),
      maxFiles: config.maxFiles,
      countImage: metrics.image,
    }),
  );
  app.use(
    healthRoutes({
      pool: parts.pool,
      batcher: parts.batcher,
      identity: parts.identity,
      workers: config.workers,
      maxQueue: config.maxQueue,
      metrics,
      isDraining: parts.isDraining,
    }),
  );
  app.use(modelFileRoutes(parts.modelFiles, parts.identity.weightsHash));
  app.use(infoRoutes(parts.spec, parts.webDist));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
