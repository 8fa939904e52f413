/**
 * Node-side decoding of uploaded files into grey pixels: our own header checks first (format, pixel
 * limit, declared work), then sharp or jimp, then EXIF orientation. The browser gets its pixels
 * from a canvas instead (see `browser.ts`).
 */
import { ByteReader } from './byte-reader';
import { checkDecodeBudget } from './decode-budget';
import { decodeFailure } from './decode-failure';
import { type DecoderName, type ImageDecoder, reducedSize } from './decoders/decoder';
import { ImageError, ImageTooLargeError } from './errors';
import { readExifOrientation } from './exif-orientation';
import type { GrayImage } from './gray-image';
import type { ImageFormat } from './image-format';
import { type ImageHeader, readImageHeader } from './image-header';
import { orientGray } from './orient-gray';
import { decoderFor, selectDecoder } from './select-decoder';
import { readTiffIfds, TIFF_TAG } from './tiff-ifd';

/**
 * Default for {@link DecodeImageOptions.maxPixels}, shared by the CLI and the server: 24 megapixels.
 * Every common camera output fits (6000x4000; phones save 12-24 MP by default), and a digit ends at
 * 20 px, so nothing is lost past it. It bounds the jimp fallback, which holds RGBA plus jpeg-js's
 * buffers (up to 24 bytes per pixel, about 0.6 GB at 24 MP; 40 MP measured 1.66 GB peak with 2 workers).
 */
export const DEFAULT_MAX_PIXELS = 24_000_000;

/** Options for {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Largest width x height accepted (every page's, for TIFF), checked against the header before decoding. */
  maxPixels?: number;
  /** File name used in error messages; defaults to "image". */
  name?: string;
  /** From {@link selectDecoder}; default `selectDecoder('auto').decoder` (sharp, else jimp). */
  decoder?: ImageDecoder;
}

/**
 * A decoded, upright grey image. Images longer than 560 px arrive reduced to that (the digit ends
 * at 20 px); `sourceWidth`/`sourceHeight` are the file's own size, upright.
 */
export interface DecodedImage extends GrayImage {
  format: ImageFormat;
  sourceWidth: number;
  sourceHeight: number;
  /** The decoder that ran: the chosen one, or jimp for a format the chosen one does not read (BMP with sharp). */
  decoder: DecoderName;
}

/**
 * Sizes of what the decoder will allocate: the image, or for TIFF every page, because jimp's TIFF
 * decoder (utif2) decodes all of them; a small first page must not hide a huge second one.
 */
function pageSizes(bytes: Uint8Array, header: ImageHeader, name: string): Array<{ width: number; height: number }> {
  if (header.format !== 'tiff') return [header];
  return readTiffIfds(new ByteReader(bytes, name), 0, [TIFF_TAG.imageWidth, TIFF_TAG.imageLength]).map((tags) => ({
    width: tags.get(TIFF_TAG.imageWidth) ?? 0,
    height: tags.get(TIFF_TAG.imageLength) ?? 0,
  }));
}

/**
 * Decodes PNG, JPEG, BMP, GIF (first frame) or TIFF (first page) into an upright grey image. Before
 * any decoder runs: the header's size (every page's, for TIFF) against `maxPixels`, and the work the
 * header declares against the file's size ({@link checkDecodeBudget}). Then the decoder (alpha
 * composited onto white, reduced to at most 560 px on the longer side, shrink-on-load for JPEG with
 * sharp), then the EXIF Orientation (JPEG, TIFF) and BT.601 luma, the same for both decoders.
 *
 * @throws UnsupportedImageFormatError, TruncatedImageError from the header ({@link readImageHeader})
 * @throws ImageTooLargeError (`IMAGE_TOO_MANY_PIXELS`) when width x height exceeds `maxPixels`
 * @throws ImageTooComplexError (`IMAGE_TOO_COMPLEX`) when the header declares absurd work for its size
 * @throws ImageDecodeError (`IMAGE_DECODE_FAILED`) when the data is corrupt or cut short
 * @example
 * const gray = await decodeImage(await readFile('photo.jpg'), { name: 'photo.jpg' });
 * gray; // { width: 420, height: 560, sourceWidth: 3000, sourceHeight: 4000, format: 'jpeg', decoder: 'sharp', data: Uint8Array(235200) }
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const name = options.name ?? 'image';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new RangeError(`decodeImage: expected maxPixels > 0, found ${maxPixels}`);

  const header = readImageHeader(bytes, { name });
  const pages = pageSizes(bytes, header, name);
  const pixels = pages.reduce((sum, page) => sum + page.width * page.height, 0);
  if (pixels > maxPixels) {
    throw new ImageTooLargeError(name, header.width, header.height, maxPixels, { pages: pages.length, pixels });
  }
  checkDecodeBudget(bytes, header, { name, maxPixels });
  const decoder = decoderFor(options.decoder ?? selectDecoder('auto').decoder, header);
  const target = reducedSize(header.width, header.height);
  let stored: GrayImage;
  try {
    stored = await decoder.decode({ bytes, header, target, maxPixels, name });
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw decodeFailure(name, header.format, error);
  }
  const orientation = readExifOrientation(bytes, header.format);
  const upright = orientGray(stored, orientation);
  const swap = orientation >= 5;
  return {
    ...upright,
    format: header.format,
    sourceWidth: swap ? header.height : header.width,
    sourceHeight: swap ? header.width : header.height,
    decoder: decoder.name,
  };
}
