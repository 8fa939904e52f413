/** Levels the server logs at (winston's npm levels, most to least severe). */
export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';

/**
 * What the server needs of a logger: the subset of winston's `Logger` it calls, so an app can pass its
 * winston logger while this library depends on no logging package.
 */
export interface Logger {
  log(level: LogLevel, message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  isInfoEnabled(): boolean;
}

/**
 * A logger that drops everything: the default, since libraries are silent unless given a logger.
 *
 * @example
 * silentLogger.info('not printed'); // nothing
 */
export const silentLogger: Logger = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  isInfoEnabled: () => false,
};
