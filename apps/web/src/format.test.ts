import { formatBytes, formatMs, formatPercent } from './format';

describe('format', () => {
  test('when a time is under 10 ms, then it keeps one decimal; above, whole milliseconds', () => {
    expect(formatMs(2.345)).toBe('2.3 ms');
    expect(formatMs(153.7)).toBe('154 ms');
  });

  test('when a time is unknown, then it reads n/a', () => {
    expect(formatMs(Number.NaN)).toBe('n/a');
  });

  test('when given a probability or a byte count, then it reads as a percentage, bytes or kB', () => {
    expect(formatPercent(0.98765)).toBe('98.8%');
    expect(formatBytes(123_456)).toBe('123.5 kB');
    expect(formatBytes(42)).toBe('42 bytes');
  });
});
