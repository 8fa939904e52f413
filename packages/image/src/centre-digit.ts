import { DIGIT_PIXELS, DIGIT_SIZE } from '@lenet/digit';

/**
 * Places a small image (at most 28x28) into a black 28x28 field so that its centre of mass lands on
 * pixel (14, 14), as MNIST was made: the MNIST digits' centres of mass, in pixel-index coordinates,
 * all lie within half a pixel of 14. The shift is whole pixels, so no resampling blurs the digit;
 * it is clamped so the image never leaves the field.
 *
 * @param image - `width * height` levels 0..255 (rounded and clamped on the way in)
 * @returns 784 bytes, row-major
 * @example
 * const dot = new Float32Array([255]);
 * centreByMass(dot, 1, 1)[14 * 28 + 14]; // 255
 */
export function centreByMass(image: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (width > DIGIT_SIZE || height > DIGIT_SIZE || image.length !== width * height) {
    throw new RangeError(
      `centreByMass: expected at most ${DIGIT_SIZE}x${DIGIT_SIZE} with ${width}x${height} values, found ${width}x${height} with ${image.length}`,
    );
  }
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = image[y * width + x] as number;
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const centre = DIGIT_SIZE / 2;
  const cx = mass > 0 ? sumX / mass : (width - 1) / 2;
  const cy = mass > 0 ? sumY / mass : (height - 1) / 2;
  const left = Math.min(DIGIT_SIZE - width, Math.max(0, Math.round(centre - cx)));
  const top = Math.min(DIGIT_SIZE - height, Math.max(0, Math.round(centre - cy)));
  const out = new Uint8Array(DIGIT_PIXELS);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = image[y * width + x] as number;
      out[(top + y) * DIGIT_SIZE + left + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return out;
}

/**
 * Centre of mass of a 28x28 digit in pixel-index coordinates (pixel (0, 0)'s centre is 0, 0).
 *
 * @example
 * const digit = new Uint8Array(784);
 * digit[14 * 28 + 13] = 255;
 * centreOfMass(digit); // { x: 13, y: 14 }
 */
export function centreOfMass(digit: Uint8Array, size = DIGIT_SIZE): { x: number; y: number } {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < digit.length; i += 1) {
    const v = digit[i] as number;
    mass += v;
    sumX += v * (i % size);
    sumY += v * Math.floor(i / size);
  }
  return mass > 0 ? { x: sumX / mass, y: sumY / mass } : { x: NaN, y: NaN };
}
