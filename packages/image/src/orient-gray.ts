import type { Orientation } from './exif-orientation';
import type { GrayImage } from './gray-image';

/**
 * Applies an EXIF orientation, returning the image as it should be displayed. Orientations 5-8
 * swap width and height. Works on one-byte pixels, so it costs a quarter of turning the RGBA bitmap.
 *
 * @example
 * const stored = { width: 2, height: 1, data: new Uint8Array([10, 20]) };
 * orientGray(stored, 6); // { width: 1, height: 2, data: Uint8Array [10, 20] } (turned clockwise)
 * orientGray(stored, 3).data; // Uint8Array [20, 10]
 */
export function orientGray(image: GrayImage, orientation: Orientation): GrayImage {
  if (orientation === 1) return image;
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const outH = swap ? w : h;
  const out = new Uint8Array(w * h);
  // Each case maps a displayed pixel (x, y) back to the stored pixel (sx, sy).
  const source: (x: number, y: number) => number = {
    2: (x: number, y: number) => y * w + (w - 1 - x),
    3: (x: number, y: number) => (h - 1 - y) * w + (w - 1 - x),
    4: (x: number, y: number) => (h - 1 - y) * w + x,
    5: (x: number, y: number) => x * w + y,
    6: (x: number, y: number) => (h - 1 - x) * w + y,
    7: (x: number, y: number) => (h - 1 - x) * w + (w - 1 - y),
    8: (x: number, y: number) => x * w + (w - 1 - y),
  }[orientation];
  let i = 0;
  for (let y = 0; y < outH; y += 1) {
    for (let x = 0; x < outW; x += 1) {
      out[i] = data[source(x, y)] as number;
      i += 1;
    }
  }
  return { width: outW, height: outH, data: out };
}
