/**
 * Node-side decoding of uploaded files into grey pixels. The only module that imports jimp; the
 * browser gets its pixels from a canvas instead (see `browser.ts`).
 */
import { defaultFormats } from 'jimp';
import { ByteReader } from './byte-reader';
import { ImageDecodeError, ImageTooLargeError } from './errors';
import { readExifOrientation } from './exif-orientation';
import type { GrayImage } from './gray-image';
import { grayscaleFromRgba } from './grayscale-from-rgba';
import type { ImageFormat } from './image-format';
import { type ImageHeader, readImageHeader } from './image-header';
import { orientGray } from './orient-gray';
import { readTiffIfds, TIFF_TAG } from './tiff-ifd';

/**
 * Default for {@link DecodeImageOptions.maxPixels}: a 40-megapixel photo. Decoding one takes about
 * 160 MB as RGBA, and up to 24 bytes per pixel (about 1 GB) while a JPEG is decoded.
 */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/** Options for {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * Largest width x height accepted, checked against the header before decoding. Memory while
   * decoding is up to 24 bytes per pixel for JPEG (jpeg-js), 4-8 for the other formats.
   */
  maxPixels?: number;
  /** File name used in error messages; defaults to "image". */
  name?: string;
}

/** A decoded, upright grey image and the format it was stored in. */
export interface DecodedImage extends GrayImage {
  format: ImageFormat;
}

interface Bitmap {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The slice of jimp's format plugin interface used here. */
interface Codec {
  mime: string;
  decode(data: Buffer, options?: Record<string, unknown>): Bitmap | Promise<Bitmap>;
}

const MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

// jimp's codecs are called directly rather than through `Jimp.fromBuffer`: that sniffs the type again
// with a dynamic `import()` of the ESM-only `file-type`, which fails under Jest's CommonJS runtime,
// and we have already sniffed the format from the magic bytes ourselves.
const CODECS = new Map<string, Codec>(
  defaultFormats.map((factory) => {
    // The plugins' decode signatures differ only in their option types; Codec is their common shape.
    const codec = factory() as unknown as Codec;
    return [codec.mime, codec];
  }),
);

/**
 * Peak bytes per pixel jpeg-js allocates: 256-byte Int32 coefficient blocks per 64 samples and
 * per component (4 B/px each), component planes (1 B), the colour-converted copy (3 B) and RGBA
 * (4 B): 22 for 4:4:4 colour, about 15 for the usual 4:2:0. Measured: a 38.5 MP 4:2:0 JPEG needs
 * just over 512 MB, jpeg-js's default cap.
 */
const JPEG_BYTES_PER_PIXEL = 24;

function decoderOptions(format: ImageFormat, maxPixels: number): Record<string, unknown> | undefined {
  if (format !== 'jpeg') return undefined;
  // jpeg-js has its own guards (100 MP, 512 MB), which would refuse a 35 MP photo our limit admits,
  // after seconds of work and with a message about memory. Derive both from maxPixels instead.
  return {
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.ceil((maxPixels * JPEG_BYTES_PER_PIXEL) / 2 ** 20),
  };
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
 * Decodes PNG, JPEG, BMP, GIF (first frame) or TIFF (first page) into an upright grey image:
 * checks the header's size (every page's, for TIFF) against `maxPixels` before decoding anything, turns the pixels as the
 * EXIF Orientation tag says (JPEG, TIFF), composites alpha onto white, and converts to luma.
 *
 * @throws UnsupportedImageFormatError, TruncatedImageError from the header ({@link readImageHeader})
 * @throws ImageTooLargeError (`IMAGE_TOO_MANY_PIXELS`) when width x height exceeds `maxPixels`
 * @throws ImageDecodeError (`IMAGE_DECODE_FAILED`) when the data is corrupt or cut short
 * @example
 * const gray = await decodeImage(await readFile('photo.jpg'), { name: 'photo.jpg' });
 * gray; // { width: 3000, height: 4000, format: 'jpeg', data: Uint8Array(12000000) }
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
  const codec = CODECS.get(MIME[header.format]);
  if (codec === undefined) {
    throw new ImageDecodeError(`${name}: expected jimp to provide a ${MIME[header.format]} decoder, found none`);
  }
  let bitmap: Bitmap;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    bitmap = await codec.decode(buffer, decoderOptions(header.format, maxPixels));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ImageDecodeError(`${name}: could not decode the ${header.format.toUpperCase()} data (${reason})`, {
      cause: err,
    });
  }
  // A GIF frame or TIFF page can disagree with the header we checked; check what was allocated too.
  if (bitmap.width * bitmap.height > maxPixels) {
    throw new ImageTooLargeError(name, bitmap.width, bitmap.height, maxPixels);
  }
  const rgbaBytes = bitmap.width * bitmap.height * 4;
  if (!(rgbaBytes > 0) || bitmap.data.length < rgbaBytes) {
    throw new ImageDecodeError(
      `${name}: expected ${bitmap.width}x${bitmap.height} RGBA pixels from the ${header.format.toUpperCase()} decoder, found ${bitmap.data.length} bytes`,
    );
  }
  const rgba = { width: bitmap.width, height: bitmap.height, data: bitmap.data.subarray(0, rgbaBytes) };
  const upright = orientGray(grayscaleFromRgba(rgba), readExifOrientation(bytes, header.format));
  return { ...upright, format: header.format };
}
