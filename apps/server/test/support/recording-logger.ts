import type { Logger, LogLevel } from '@lenet/serving';

/** One line a {@link recordingLogger} kept. */
export interface LoggedLine {
  level: LogLevel;
  message: string;
  meta?: Record<string, unknown>;
}

/**
 * A logger that keeps every line in memory, for tests that check what the server logged (or did
 * not). It is the structural `Logger` the server library takes, at level info.
 *
 * @example
 * const log = recordingLogger();
 * await startServer(config, { logger: log.logger });
 * log.lines.filter((line) => line.level === 'error'); // []
 */
export function recordingLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const keep = (level: LogLevel) => (message: string, meta?: Record<string, unknown>) => {
    lines.push(meta === undefined ? { level, message } : { level, message, meta });
  };
  return {
    lines,
    logger: {
      log: (level, message, meta) => keep(level)(message, meta),
      error: keep('error'),
      warn: keep('warn'),
      info: keep('info'),
      isInfoEnabled: () => true,
    },
  };
}
