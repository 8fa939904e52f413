import { histogram, otsuThreshold, percentile, reversed } from './histogram';

describe('otsuThreshold', () => {
  it('when there are two clusters, then the threshold separates them', () => {
    const t = otsuThreshold(histogram(Uint8Array.from([10, 12, 11, 13, 200, 210, 205])));
    expect(t).toBeGreaterThanOrEqual(13);
    expect(t).toBeLessThan(200);
  });

  it('when every pixel has the same level, then there is no threshold', () => {
    expect(otsuThreshold(histogram(new Uint8Array(50).fill(255)))).toBeUndefined();
  });

  it('when the classes are separated by empty levels, then the threshold is the middle of the gap', () => {
    expect(otsuThreshold(histogram(Uint8Array.from([0, 0, 0, 255])))).toBe(127);
    expect(otsuThreshold(histogram(Uint8Array.from([10, 12, 11, 200, 210])))).toBe(105);
  });
});

describe('percentile', () => {
  const h = histogram(Uint8Array.from([1, 2, 3, 4, 100]));

  it('when asked for the median or an extreme, then it returns a level present in the data', () => {
    expect(percentile(h, 0.5)).toBe(3);
    expect(percentile(h, 0)).toBe(1);
    expect(percentile(h, 1)).toBe(100);
  });

  it('when restricted to a range, then only that range counts', () => {
    expect(percentile(h, 0.5, 3)).toBe(4);
    expect(percentile(h, 0.5, 101)).toBeUndefined();
  });
});

describe('reversed', () => {
  it('when reversed, then level v counts what 255 - v counted', () => {
    const r = reversed(histogram(Uint8Array.from([0, 0, 10])));
    expect([r[255], r[245], r[0]]).toEqual([2, 1, 0]);
  });
});
