import winston from 'winston';
import type { ServerConfig } from '@lenet/serving';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: ServerConfig['logLevel'];
  /** Readable lines instead of JSON; the default is JSON unless stdout is a terminal. */
  pretty?: boolean;
}

const readable = winston.format.printf((info) => {
  const { level, message, timestamp, ...rest } = info;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level} ${String(message)}${fields === '' ? '' : ` ${fields}`}`;
});

/**
 * The server's one winston logger: a JSON line per event on stdout (for log shippers), or readable
 * coloured lines when stdout is a terminal.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.info('request', { id: 'a1b2', method: 'POST', route: '/predict', status: 200, ms: 3.2 });
 * // {"id":"a1b2","level":"info","message":"request","method":"POST","ms":3.2,"route":"/predict","status":200,"timestamp":"2025-01-01T12:00:00.000Z"}
 */
export function createLogger(options: LoggerOptions): winston.Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const format = pretty
    ? winston.format.combine(winston.format.colorize(), winston.format.timestamp({ format: 'HH:mm:ss.SSS' }), readable)
    : winston.format.combine(winston.format.timestamp(), winston.format.json());
  return winston.createLogger({ level: options.level, format, transports: [new winston.transports.Console()] });
}
