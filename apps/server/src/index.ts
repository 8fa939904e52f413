/**
 * `@lenet/server`: the `lenet-server` program over `@lenet/serving`.
 *
 * @example
 * import { main } from '@lenet/server';
 * await main(['--model', 'output/checkpoint', '--port', '8000']); // serves until SIGTERM
 */
export { main } from './main';
export { createLogger, type LoggerOptions, resolveLogFormat } from './logger';
