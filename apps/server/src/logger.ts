import winston from 'winston';
import { type ServerConfig, textLogLine } from '@lenet/serving';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: ServerConfig['logLevel'];
  /** `text`: short lines for people; `json`: one JSON object a line; `auto` (default): text on a terminal. */
  format?: ServerConfig['logFormat'];
  /** @deprecated use `format`; `true` is `text`, `false` is `json`. */
  pretty?: boolean;
}

/**
 * Whether logs are text or JSON: `text`/`json` as asked, else text when stdout is a terminal.
 *
 * @example
 * resolveLogFormat('auto', false); // 'json'
 */
export function resolveLogFormat(format: ServerConfig['logFormat'], isTerminal: boolean): 'json' | 'text' {
  return format === 'auto' ? (isTerminal ? 'text' : 'json') : format;
}

/**
 * The server's one winston logger: short human lines on a terminal (`12:00:01 POST /predict 200 3.2 ms`),
 * a JSON line per event otherwise (containers, log shippers), or as `--log-format` says.
 *
 * @example
 * const logger = createLogger({ level: 'info', format: 'json' });
 * logger.info('request', { id: 'a1b2', method: 'POST', route: '/predict', status: 200, ms: 3.2 });
 * // {"id":"a1b2","level":"info","message":"request","method":"POST","ms":3.2,"route":"/predict","status":200,"timestamp":"2025-01-01T12:00:00.000Z"}
 */
export function createLogger(options: LoggerOptions): winston.Logger {
  const asked = options.format ?? (options.pretty === undefined ? 'auto' : options.pretty ? 'text' : 'json');
  const format =
    resolveLogFormat(asked, process.stdout.isTTY === true) === 'text'
      ? winston.format.combine(
          winston.format.timestamp(),
          winston.format.printf((info) => textLogLine(info)),
        )
      : winston.format.combine(winston.format.timestamp(), winston.format.json());
  return winston.createLogger({ level: options.level, format, transports: [new winston.transports.Console()] });
}
