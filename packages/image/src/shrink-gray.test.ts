import { shrinkGray } from './shrink-gray';

const gray = (width: number, height: number, values: number[]) => ({ width, height, data: Uint8Array.from(values) });

describe('shrinkGray', () => {
  it('when shrunk by 2, then each output pixel is the rounded mean of its 2x2 block', () => {
    const image = gray(4, 2, [0, 255, 10, 20, 255, 0, 30, 40]);
    expect(shrinkGray(image, 2)).toEqual(gray(2, 1, [128, 25]));
  });

  it('when the size does not divide, then the last row and column average the pixels left', () => {
    const image = gray(3, 3, [0, 0, 90, 0, 0, 90, 200, 200, 7]);
    expect(shrinkGray(image, 2)).toEqual(gray(2, 2, [0, 90, 200, 7]));
  });

  it('when an even-sized image is halved, then the fast path gives what the general one gives on the odd-sized one', () => {
    const values = Array.from({ length: 6 * 5 }, (_, i) => (i * 37) % 256);
    const even = gray(6, 4, values.slice(0, 24));
    const odd = gray(6, 5, values);
    const halvedEven = shrinkGray(even, 2);
    const halvedOdd = shrinkGray(odd, 2);
    expect(halvedEven.width).toBe(3);
    expect(Array.from(halvedEven.data)).toEqual(Array.from(halvedOdd.data.subarray(0, 6)));
    // Ties round up in both: (1 + 2 + 2 + 1) / 4 = 1.5 -> 2.
    expect(shrinkGray(gray(2, 2, [1, 2, 2, 1]), 2).data[0]).toBe(2);
  });

  it('when the factor is 1, then the image itself comes back', () => {
    const image = gray(2, 1, [1, 2]);
    expect(shrinkGray(image, 1)).toBe(image);
  });

  it('when a uniform 560x420 image is shrunk by 4, then it is 140x105 and keeps its level', () => {
    const image = { width: 560, height: 420, data: new Uint8Array(560 * 420).fill(77) };
    const small = shrinkGray(image, 4);
    expect([small.width, small.height]).toEqual([140, 105]);
    expect(new Set(small.data)).toEqual(new Set([77]));
  });

  it('when the factor is not a whole number >= 1 or the data does not fit the size, then it throws a RangeError', () => {
    expect(() => shrinkGray(gray(2, 1, [1, 2]), 1.5)).toThrow('expected a whole factor >= 1, found 1.5');
    expect(() => shrinkGray(gray(2, 1, [1, 2]), 0)).toThrow(RangeError);
    expect(() => shrinkGray(gray(2, 2, [1, 2]), 2)).toThrow('expected 2x2x1 = 4 values, found 2');
  });
});
