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
  SERVER_DEFAULT_MAX_PIXELS,
  BACKENDS,
  DECODERS,
  LOG_LEVELS,
  LOG_FORMATS,
  type ServerConfig,
  type ServerFlag,
} from './config';
export { startServer, servingBanner, type RunningServer, type StartServerOptions } from './start-server';
export { runServer, type RunServerOptions, type ServerRun } from './run-server';
export {
  ConfigError,
  DECODE_BUDGET_ERROR_CODES,
  DecodeBudgetError,
  type DecodeBudgetErrorCode,
  type ImageFailureCode,
  ImageRejectedError,
  OverloadedError,
  REQUEST_ERROR_CODES,
  RequestError,
  type RequestErrorCode,
  SERVING_ERROR_CODES,
  type ServingErrorCode,
  StartupError,
  WORKER_ERROR_CODES,
  WorkerError,
  type WorkerErrorCode,
} from './errors';
export type { ModelIdentity } from './worker/worker-pool';
export { type Logger, type LogLevel, silentLogger } from './logger';
export { textLogLine, type LogEntry } from './log-line';
export { findWebPage } from './routes/info-routes';
