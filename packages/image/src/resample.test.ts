import { resample } from './resample';

describe('resample', () => {
  it('when the size does not change, then the pixels are copied exactly', () => {
    const src = Uint8Array.from({ length: 20 * 14 }, (_, i) => (i * 37) % 256);
    expect(Array.from(resample(src, 20, 14, 20, 14))).toEqual(Array.from(src));
  });

  it('when shrinking by a whole factor, then each output pixel is the mean of its block', () => {
    const src = Uint8Array.from([0, 255, 10, 20, 255, 0, 30, 40]); // 4x2
    expect(Array.from(resample(src, 4, 2, 2, 1))).toEqual([127.5, 25]);
  });

  it('when shrinking by a fractional factor, then total ink is preserved in proportion to the area', () => {
    const src = new Uint8Array(30 * 30);
    for (let i = 0; i < src.length; i += 7) src[i] = 255;
    const out = resample(src, 30, 30, 20, 20);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    expect((sum(out) * (30 * 30)) / (20 * 20)).toBeCloseTo(sum(src), 0);
  });

  it('when a thin line is shrunk, then it becomes a fainter anti-aliased line rather than disappearing', () => {
    const src = new Uint8Array(100 * 100);
    for (let y = 0; y < 100; y += 1) src[y * 100 + 50] = 255; // 1 px wide vertical line
    const out = resample(src, 100, 100, 20, 20);
    expect(out[5 * 20 + 10]).toBeCloseTo(51, 0); // 255 / 5
  });

  it('when enlarging, then values are interpolated linearly between pixel centres', () => {
    expect(Array.from(resample(Uint8Array.from([0, 100]), 2, 1, 4, 1))).toEqual([0, 25, 75, 100]);
  });

  it('when the input length does not match, then a RangeError', () => {
    expect(() => resample(new Uint8Array(5), 2, 2, 1, 1)).toThrow('resample: expected 2x2 = 4 values, found 5');
  });
});
