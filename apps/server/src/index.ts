/**
 * `@lenet/server`: the HTTP server that classifies uploaded digit images with a LeNet checkpoint.
 *
 * @example
 * import { parseServerConfig, startServer } from '@lenet/server';
 * const server = await startServer(parseServerConfig(['--model', 'output/checkpoint', '--port', '0'], process.env));
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
export { main } from './main';
export { createLogger, type LoggerOptions } from './logger';
export * from './errors';
