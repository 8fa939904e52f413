/**
 * `@lenet/serving`: serving a LeNet checkpoint over HTTP, as a library. `apps/server` and `lenet serve`
 * are thin entry points over it.
 *
 * @example
 * import { parseServerConfig, startServer } from '@lenet/serving';
 * const server = await startServer(parseServerConfig(['--model', 'output/checkpoint', '--port', '0'], {}));
 * const response = await fetch(`${server.url}/healthz`); // 200 { status: 'ok' }
 * await server.close();
 */
export {
  parseServerConfig,
  serverUsage,
  SERVER_FLAGS,
  BACKENDS,
  LOG_LEVELS,
  type ServerConfig,
  type ServerFlag,
} from './config';
export { startServer, type RunningServer, type StartServerOptions } from './start-server';
export * from './errors';
export { type Logger, type LogLevel, silentLogger } from './logger';
export { findWebPage } from './routes/info-routes';
