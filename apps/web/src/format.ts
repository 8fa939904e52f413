/** Numbers as the page prints them. */

/**
 * Milliseconds with sensible precision: one decimal below 10 ms, whole numbers above.
 *
 * @example
 * formatMs(2.345); // '2.3 ms'
 * formatMs(153.7); // '154 ms'
 * formatMs(NaN);   // 'n/a'
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toString()} ms`;
}

/**
 * A probability as a percentage with one decimal.
 *
 * @example
 * formatPercent(0.98765); // '98.8%'
 * formatPercent(0.0001);  // '0.0%'
 */
export function formatPercent(probability: number): string {
  return `${(probability * 100).toFixed(1)}%`;
}

/**
 * A file size: bytes below 1000, else kB with one decimal (1 kB = 1000 bytes, as the build report counts).
 *
 * @example
 * formatBytes(42);     // '42 bytes'
 * formatBytes(123456); // '123.5 kB'
 */
export function formatBytes(bytes: number): string {
  return bytes < 1000 ? `${bytes} bytes` : `${(bytes / 1000).toFixed(1)} kB`;
}
