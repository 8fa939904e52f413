import { digitToRgba } from './digit-to-rgba';

describe('digitToRgba', () => {
  it('when a digit is converted, then each byte becomes an opaque grey pixel', () => {
    const digit = new Uint8Array(784);
    digit[1] = 200;
    const rgba = digitToRgba(digit);
    expect(rgba).toBeInstanceOf(Uint8ClampedArray);
    expect(Array.from(rgba.subarray(0, 8))).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
  });

  it('when the digit is not 784 bytes, then a RangeError', () => {
    expect(() => digitToRgba(new Uint8Array(10))).toThrow('digitToRgba: expected 784 bytes (28x28), found 10');
  });
});
