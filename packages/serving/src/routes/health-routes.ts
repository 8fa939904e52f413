import { Router } from 'express';
import { PROMETHEUS_CONTENT_TYPE, type ServerMetrics } from '../http/server-metrics';
import type { Batcher } from '../worker/batcher';
import type { ModelIdentity, WorkerPool } from '../worker/worker-pool';

/** What the health routes look at. */
export interface HealthRoutesOptions {
  pool: WorkerPool;
  batcher: Batcher;
  identity: ModelIdentity;
  workers: number;
  maxQueue: number;
  metrics: ServerMetrics;
  /** True once SIGTERM (or close()) started the drain. */
  isDraining: () => boolean;
}

/**
 * `GET /healthz` (the process answers), `GET /readyz` (model loaded, a worker ready, not draining)
 * and `GET /metrics` (Prometheus text format).
 *
 * @example
 * app.use(healthRoutes({ pool, batcher, identity, workers: 2, maxQueue: 512, metrics, isDraining }));
 * // GET /readyz -> 200 { status: 'ready', workers: { ready: 2, configured: 2 }, queue: { length: 0, capacity: 512 }, model: {...} }
 */
export function healthRoutes(options: HealthRoutesOptions): Router {
  const { pool, batcher, identity } = options;
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const ready = pool.readyCount;
    const status = options.isDraining() ? 'shutting down' : ready === 0 ? 'unavailable' : 'ready';
    res.status(status === 'ready' ? 200 : 503).json({
      status,
      workers: { ready, configured: options.workers },
      queue: { length: batcher.queueLength, capacity: options.maxQueue },
      model: { epoch: identity.epoch, weights_hash: identity.weightsHash },
    });
  });
  router.get('/metrics', async (_req, res) => {
    const text = await options.metrics.registry.metrics();
    res.set('Content-Type', PROMETHEUS_CONTENT_TYPE).send(text);
  });
  return router;
}
