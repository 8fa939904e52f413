/** A single-channel 8-bit image, row-major, 0 = black, 255 = white. */
export interface GrayImage {
  width: number;
  height: number;
  /** `width * height` bytes. */
  data: Uint8Array;
}

/**
 * Interleaved 8-bit RGBA pixels: the shape of a canvas `ImageData` and of a decoded bitmap.
 */
export interface RgbaImage {
  width: number;
  height: number;
  /** `width * height * 4` bytes. */
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Throws a `RangeError` unless the sizes are positive integers and `data` holds exactly
 * `width * height * channels` values: a mismatch is a caller's bug, not a bad upload.
 *
 * @param what - names the caller and argument in the message
 * @example
 * assertImageShape({ width: 2, height: 2, data: new Uint8Array(3) }, 1, 'digitFromGray: gray');
 * // throws RangeError: digitFromGray: gray: expected 2x2x1 = 4 values, found 3
 */
export function assertImageShape(
  image: { width: number; height: number; data: ArrayLike<number> },
  channels: number,
  what: string,
): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`${what}: expected positive integer width and height, found ${width}x${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `${what}: expected ${width}x${height}x${channels} = ${width * height * channels} values, found ${data.length}`,
    );
  }
}
