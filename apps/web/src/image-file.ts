/** Reads a dropped or picked image file into pixels with the browser's own decoders. */
import { PageError } from './errors';

/**
 * Longest side decoded, in pixels. A 12-megapixel phone photo is scaled down to this first so
 * preprocessing stays fast; the digit ends up 20 px tall either way.
 */
export const MAX_DECODED_SIDE = 2048;

/**
 * Decodes `file` to RGBA pixels, EXIF orientation applied as the server applies it.
 *
 * @throws PageError (`IMAGE_UNREADABLE`) when the browser cannot decode the bytes as an image
 * @example
 * const pixels = await decodeImageFile(input.files[0]);
 * [pixels.width, pixels.height]; // [1512, 2016] for a 3024x4032 photo
 */
export async function decodeImageFile(file: Blob & { name?: string }): Promise<ImageData> {
  const name = file.name ?? 'file';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (error) {
    throw new PageError('IMAGE_UNREADABLE', `${name}: this browser could not read it as an image`, { cause: error });
  }
  const scale = Math.min(1, MAX_DECODED_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new PageError('IMAGE_UNREADABLE', `${name}: no 2D canvas to decode into`);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}
