import { assertImageShape, type GrayImage, type RgbaImage } from './gray-image';

/**
 * Converts RGBA pixels (a canvas `ImageData`, a decoded bitmap) to grey: luma
 * Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as JPEG and most tools use), then composited onto
 * white by alpha, so a transparent PNG with dark strokes reads as dark ink on white paper. (Its
 * transparent pixels often hold black RGB; dropping alpha instead would turn the page black.)
 *
 * @example
 * const opaqueRed = new Uint8Array([255, 0, 0, 255]);
 * grayscaleFromRgba({ width: 1, height: 1, data: opaqueRed }).data; // Uint8Array [76]
 * const transparentBlack = new Uint8Array([0, 0, 0, 0]);
 * grayscaleFromRgba({ width: 1, height: 1, data: transparentBlack }).data; // Uint8Array [255]
 */
export function grayscaleFromRgba(image: RgbaImage): GrayImage {
  assertImageShape(image, 4, 'grayscaleFromRgba: image');
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i += 1, j += 4) {
    const luma = 0.299 * (data[j] as number) + 0.587 * (data[j + 1] as number) + 0.114 * (data[j + 2] as number);
    const alpha = (data[j + 3] as number) / 255;
    // Non-negative, so `| 0` after adding 0.5 rounds; it also avoids a global `Math` lookup per pixel,
    // which is slow inside Jest's VM contexts.
    out[i] = (255.5 - (255 - luma) * alpha) | 0;
  }
  return { width, height, data: out };
}
