import { grayscaleFromRgba } from './grayscale-from-rgba';

const pixel = (...rgba: number[]) => grayscaleFromRgba({ width: 1, height: 1, data: Uint8Array.from(rgba) }).data[0];

describe('grayscaleFromRgba', () => {
  it('when pixels are opaque, then the grey level is the BT.601 luma', () => {
    expect(pixel(255, 0, 0, 255)).toBe(76);
    expect(pixel(0, 255, 0, 255)).toBe(150);
    expect(pixel(0, 0, 255, 255)).toBe(29);
    expect(pixel(200, 200, 200, 255)).toBe(200);
  });

  it('when a pixel is transparent, then it is white whatever its colour (alpha onto white paper)', () => {
    expect(pixel(0, 0, 0, 0)).toBe(255);
    expect(pixel(0, 0, 0, 128)).toBe(127);
  });

  it('when given a canvas ImageData-like object with a Uint8ClampedArray, then it converts it', () => {
    const data = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(grayscaleFromRgba({ width: 2, height: 1, data })).toEqual({
      width: 2,
      height: 1,
      data: Uint8Array.from([0, 255]),
    });
  });

  it('when the data length does not match the size, then a RangeError says both', () => {
    expect(() => grayscaleFromRgba({ width: 2, height: 2, data: new Uint8Array(4) })).toThrow(
      'grayscaleFromRgba: image: expected 2x2x4 = 16 values, found 4',
    );
  });
});
