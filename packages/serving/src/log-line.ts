/**
 * How a log entry reads on a terminal: short lines for people. (JSON lines, for machines, are the
 * app's logger's own format.) Pure, so `lenet-server` and `lenet serve` print the same lines.
 */

/** A log entry as winston hands it to a format: level, message, timestamp and any fields. */
export interface LogEntry {
  level: string;
  message: unknown;
  timestamp?: unknown;
  [field: string]: unknown;
}

const clock = (timestamp: unknown) => {
  const date = typeof timestamp === 'string' || typeof timestamp === 'number' ? new Date(timestamp) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toTimeString().slice(0, 8);
};

const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One human line: the time, then for a request `METHOD route status ms [code]`, otherwise the
 * message (with `warn:`/`error:` in front when it is one) and any other fields as `key=value`.
 *
 * @example
 * textLogLine({ level: 'info', message: 'request', timestamp: '2025-01-01T12:00:01Z', id: 'a1', method: 'POST', route: '/predict', status: 200, ms: 3.21 });
 * // '12:00:01 POST /predict 200 3.2 ms'
 * textLogLine({ level: 'warn', message: 'worker 1 replaced', timestamp: '2025-01-01T12:00:01Z' });
 * // '12:00:01 warn: worker 1 replaced'
 */
export function textLogLine(entry: LogEntry): string {
  const { level, message, timestamp, ...fields } = entry;
  const time = clock(timestamp);
  if (message === 'request' && typeof fields.method === 'string') {
    const { method, route, status, ms, code } = fields;
    const took = typeof ms === 'number' ? `${ms.toFixed(1)} ms` : '';
    return [time, method, value(route), value(status), took, code === undefined ? '' : value(code)]
      .filter((part) => part !== '')
      .join(' ');
  }
  const rest = Object.entries(fields)
    .map(([key, v]) => `${key}=${value(v)}`)
    .join(' ');
  const prefix = level === 'info' ? '' : `${level}: `;
  return `${time} ${prefix}${value(message)}${rest === '' ? '' : ` ${rest}`}`;
}
