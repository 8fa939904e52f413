/**
 * The native decoder: sharp (libvips with libjpeg-turbo, libpng, libtiff, cgif). Loaded lazily, so
 * a machine without its prebuilt binding still runs everything on jimp.
 */
import type SharpModule from 'sharp';
import type { GrayImage } from '../gray-image';
import type { ImageFormat } from '../image-format';
import type { DecodeRequest, ImageDecoder } from './decoder';
import { lumaFromRgb } from './luma';

/** Formats libvips's prebuilt binaries read; BMP is not among them, so it goes to jimp. */
const SHARP_FORMATS: ReadonlySet<ImageFormat> = new Set(['png', 'jpeg', 'gif', 'tiff']);

/**
 * Loads sharp and sets it up for our use, or returns why it cannot be loaded.
 *
 * - `concurrency(1)`: the server runs one worker thread per core and each decodes one image at a
 *   time, so libvips's own thread pool would only make the threads fight over the same cores.
 * - `cache(false)`: libvips caches operations and their pixels per process (up to 50 MB and 100
 *   operations by default); uploads are never decoded twice, so the cache would only grow the
 *   resident memory of every worker.
 */
function loadSharp(): typeof SharpModule | Error {
  try {
    // Required lazily, inside try/catch, so that a missing or broken native binding falls back to jimp.
    const sharp = require('sharp') as typeof SharpModule;
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

let cached: { strict: ImageDecoder; auto: ImageDecoder } | Error | undefined;

/**
 * Up to this many pixels (128x128), `auto` leaves lossless formats to jimp: pngjs decodes a 28x28
 * PNG in about 0.2 ms, while a call into libvips costs about 0.8 ms however small the image (work is
 * handed to its thread and back). Both decode lossless data to the same pixels.
 */
export const SMALL_LOSSLESS_PIXELS = 128 * 128;
const LOSSLESS: ReadonlySet<ImageFormat> = new Set(['png', 'gif', 'bmp', 'tiff']);

/** Libvips downsampling kernel: linear (a triangle filter) has no ringing, like our box filter. */
const KERNEL = 'linear';

function createDecoder(sharp: typeof SharpModule, smallToJimp: boolean): ImageDecoder {
  const decode = async (request: DecodeRequest): Promise<GrayImage> => {
    const { bytes, header, target, maxPixels } = request;
    // limitInputPixels repeats our own header check inside libvips, in case a file's pages or frames
    // disagree with the header we read. `failOn: 'truncated'` refuses cut-off data as jimp does, but
    // not the warnings of readable files (extraneous bytes before a marker, common from cameras).
    // No `.rotate()`: the caller turns the small grey result by our own EXIF parser's orientation,
    // the same for both decoders (and cheaper on 1 byte per pixel than on the full-size image).
    let pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' });
    if (target.width !== header.width || target.height !== header.height) {
      // JPEG decodes at 1/2, 1/4 or 1/8 scale straight from the DCT (shrink-on-load), then resizes.
      pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: KERNEL });
    }
    const { data, info } = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.width !== target.width || info.height !== target.height || info.channels !== 3) {
      throw new Error(
        `expected ${target.width}x${target.height} RGB pixels from libvips, found ${info.width}x${info.height}x${info.channels}`,
      );
    }
    return { width: info.width, height: info.height, data: lumaFromRgb(data, info.width * info.height) };
  };
  return {
    name: 'sharp',
    version: `sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})`,
    supports: ({ format, width, height }) =>
      SHARP_FORMATS.has(format) && !(smallToJimp && LOSSLESS.has(format) && width * height <= SMALL_LOSSLESS_PIXELS),
    decode,
  };
}

/**
 * The sharp decoder, or the reason it is unavailable (the error from loading its native binding).
 * Loads sharp on the first call only. `auto` also leaves tiny lossless images to jimp, which is
 * faster for them ({@link SMALL_LOSSLESS_PIXELS}); the strict one reads all it can itself.
 *
 * @example
 * const sharp = sharpDecoder('strict');
 * sharp instanceof Error ? sharp.message : sharp.version; // 'sharp 0.35.5 (libvips 8.18.7)'
 */
export function sharpDecoder(mode: 'strict' | 'auto'): ImageDecoder | Error {
  if (cached === undefined) {
    const sharp = loadSharp();
    cached = sharp instanceof Error ? sharp : { strict: createDecoder(sharp, false), auto: createDecoder(sharp, true) };
  }
  return cached instanceof Error ? cached : cached[mode];
}
