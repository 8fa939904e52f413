import { DIGIT_PIXELS, DIGIT_SIZE } from '@lenet/digit';

/**
 * Turns a 28x28 digit into opaque grey RGBA, ready for `new ImageData(rgba, 28, 28)` on a page that
 * shows what the model saw, or for encoding as a PNG.
 *
 * @example
 * const rgba = digitToRgba(new Uint8Array(784).fill(200));
 * Array.from(rgba.subarray(0, 4)); // [200, 200, 200, 255]
 */
export function digitToRgba(digit: Uint8Array): Uint8ClampedArray {
  if (digit.length !== DIGIT_PIXELS) {
    throw new RangeError(
      `digitToRgba: expected ${DIGIT_PIXELS} bytes (${DIGIT_SIZE}x${DIGIT_SIZE}), found ${digit.length}`,
    );
  }
  const rgba = new Uint8ClampedArray(DIGIT_PIXELS * 4);
  for (let i = 0; i < DIGIT_PIXELS; i += 1) {
    const v = digit[i] as number;
    rgba.set([v, v, v, 255], i * 4);
  }
  return rgba;
}
