/**
 * BT.601 luma of packed RGB, rounded: the same formula as `grayscaleFromRgba` (alpha is already
 * flattened onto white by the decoder), so both decoders hand the ink finder the same grey.
 *
 * @example
 * lumaFromRgb(new Uint8Array([255, 0, 0]), 1); // Uint8Array [76]
 */
export function lumaFromRgb(rgb: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let i = 0, j = 0; i < pixels; i += 1, j += 3) {
    out[i] = (0.299 * (rgb[j] as number) + 0.587 * (rgb[j + 1] as number) + 0.114 * (rgb[j + 2] as number) + 0.5) | 0;
  }
  return out;
}
