import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { StartupError } from './errors';
import { handleClientError } from './http/client-error';
import { buildOpenApiSpec } from './http/openapi';
import { createServerMetrics } from './http/server-metrics';
import { silentLogger } from './logger';
import { findWebPage } from './routes/info-routes';
import { readModelFiles } from './routes/model-files';
import { Batcher } from './worker/batcher';
import type { ModelIdentity } from './worker/worker-pool';
import { WorkerPool } from './worker/worker-pool';

/** A server that is listening. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string;
  port: number;
  /** What the workers loaded. */
  model: ModelIdentity;
  /**
   * Graceful stop: refuse new connections, let requests in flight finish (at most
   * `shutdownTimeoutMs`, then cut), stop the workers. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Dependencies of {@link startServer}; defaults are made from the config. */
export interface StartServerOptions {
  logger?: Logger;
}

const VERSION = (require('../package.json') as { version: string }).version;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new StartupError(
          error.code ?? 'LISTEN_FAILED',
          `${host}:${port}: cannot listen (${error.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port or PORT' : error.message})`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Starts the server: worker threads load and warm up the model, then the port opens. Rejects with a
 * {@link StartupError} (code `CHECKPOINT_NOT_FOUND`, `CHECKPOINT_CORRUPT`, `EADDRINUSE`, ...) and
 * leaves nothing running when it cannot start.
 *
 * @example
 * const server = await startServer(parseServerConfig(['--model', 'output/checkpoint', '--port', '0'], {}));
 * server.url;   // 'http://127.0.0.1:43817'
 * server.model; // { epoch: 30, testAccuracy: 0.9865, weightsHash: '3f2a9c0d1b7e', backend: 'backend: wasm (...)', decoder: 'image decoder: ...' }
 * await server.close();
 */
export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger;
  const pool = new WorkerPool({
    size: config.workers,
    settings: {
      model: config.model,
      backend: config.backend,
      decoder: config.decoder,
      maxPixels: config.maxPixels,
      maxBatch: config.maxBatch,
    },
    decodeTimeoutMs: config.decodeTimeoutMs,
    memoryMb: config.workerMemoryMb,
    onEvent: (level, message) => logger.log(level, message),
  });
  const started = performance.now();
  const identity = await pool.start();
  const batcher = new Batcher(pool, {
    maxBatch: config.maxBatch,
    maxDelayMs: config.maxDelayMs,
    maxQueue: config.maxQueue,
  });
  const metrics = createServerMetrics({ pool, batcher, identity, maxQueue: config.maxQueue });
  pool.onBatchDone((stats) => metrics.batch(stats));
  let draining = false;
  try {
    const app = createApp({
      config,
      logger,
      pool,
      batcher,
      identity,
      metrics,
      spec: buildOpenApiSpec(config, VERSION),
      modelFiles: await readModelFiles(config.model),
      webDist: findWebPage(),
      isDraining: () => draining,
    });
    const server = createServer({ keepAliveTimeout: 5_000 }, app);
    // Node's own parser errors (a lying Content-Length, bad chunking) get the JSON error body too.
    server.on('clientError', handleClientError);
    await listen(server, config.port, config.host);
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info(identity.backend);
    logger.info(identity.decoder);
    logger.info(
      `listening on ${url} (docs: ${url}/docs): model ${config.model} (epoch ${identity.epoch ?? 'unknown'}, weights ${identity.weightsHash}) on ${config.workers} worker${config.workers === 1 ? '' : 's'}, ready in ${Math.round(performance.now() - started)} ms`,
    );

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        draining = true;
        logger.info('shutting down: no new connections; finishing requests in flight');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose request was already past the router when draining began
        // goes idle after its answer; close such connections as they appear, not after keepAliveTimeout.
        const sweeper = setInterval(() => server.closeIdleConnections(), 25);
        void closed.then(() => clearInterval(sweeper));
        const deadline = new Promise<'timeout'>((resolve) =>
          setTimeout(resolve, config.shutdownTimeoutMs, 'timeout').unref(),
        );
        if ((await Promise.race([closed.then(() => 'closed' as const), deadline])) === 'timeout') {
          logger.warn(
            `shutdown: requests still in flight after ${config.shutdownTimeoutMs} ms; closing their connections`,
          );
          server.closeAllConnections();
          await closed;
        }
        batcher.close();
        await batcher.drained();
        await pool.close();
        metrics.stop();
        logger.info('shut down');
      })();
      return closing;
    };
    return { url, port: address.port, model: identity, close };
  } catch (error) {
    metrics.stop();
    await pool.close();
    throw error;
  }
}

/**
 * The line that tells a person the server is up: what it serves, where, and how to stop it.
 *
 * @example
 * servingBanner('output/checkpoint', server.model, server.url);
 * // 'lenet serving output/checkpoint (epoch 30, test accuracy 98.65%) at http://127.0.0.1:8000 - open it in a browser; Ctrl-C to stop'
 */
export function servingBanner(model: string, identity: ModelIdentity, url: string): string {
  const about = [
    identity.epoch === null ? null : `epoch ${identity.epoch}`,
    identity.testAccuracy === null ? null : `test accuracy ${(identity.testAccuracy * 100).toFixed(2)}%`,
  ].filter((part) => part !== null);
  const described = about.length === 0 ? model : `${model} (${about.join(', ')})`;
  return `lenet serving ${described} at ${url} - open it in a browser; Ctrl-C to stop`;
}
