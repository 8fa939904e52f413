/**
 * The pure-JavaScript decoder: jimp's codecs (pngjs, jpeg-js, omggif, bmp-js, utif2). Slower and
 * hungrier than sharp, but it needs no native binding, and it is the only one here that reads BMP.
 */
import { defaultFormats } from 'jimp';
import type { GrayImage } from '../gray-image';
import { grayscaleFromRgba } from '../grayscale-from-rgba';
import type { ImageFormat } from '../image-format';
import { quietly } from '../quiet';
import { resample } from '../resample';
import type { DecodeRequest, ImageDecoder } from './decoder';

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
 * (4 B): 22 for 4:4:4 colour, about 15 for the usual 4:2:0.
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

/** Thrown for a bitmap that disagrees with the header; mapped to `IMAGE_DECODE_FAILED` by the caller. */
function badBitmap(request: DecodeRequest, bitmap: Bitmap): Error {
  const { width, height } = request.header;
  return new Error(
    `expected ${width}x${height} RGBA pixels from the decoder, found ${bitmap.width}x${bitmap.height} and ${bitmap.data.length} bytes`,
  );
}

async function decode(request: DecodeRequest): Promise<GrayImage> {
  const { bytes, header, maxPixels } = request;
  const codec = CODECS.get(MIME[header.format]);
  if (codec === undefined) throw new Error(`jimp has no ${MIME[header.format]} decoder`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Every jimp codec decodes synchronously; omggif prints its warnings to stdout meanwhile.
  const bitmap = await quietly(() => codec.decode(buffer, decoderOptions(header.format, maxPixels))).result;
  // A GIF frame or TIFF page can disagree with the header we checked: only the header's size is trusted.
  const rgbaBytes = bitmap.width * bitmap.height * 4;
  if (bitmap.width !== header.width || bitmap.height !== header.height || bitmap.data.length < rgbaBytes) {
    throw badBitmap(request, bitmap);
  }
  const rgba = { width: bitmap.width, height: bitmap.height, data: bitmap.data.subarray(0, rgbaBytes) };
  const gray = grayscaleFromRgba(rgba);
  const { width, height } = request.target;
  if (width === gray.width && height === gray.height) return gray;
  const small = resample(gray.data, gray.width, gray.height, width, height);
  return { width, height, data: Uint8Array.from(small, (v) => v + 0.5) };
}

/**
 * The jimp decoder: always available.
 *
 * @example
 * jimpDecoder.supports('bmp'); // true
 */
export const jimpDecoder: ImageDecoder = {
  name: 'jimp',
  version: 'jimp',
  supports: () => true,
  decode,
};
