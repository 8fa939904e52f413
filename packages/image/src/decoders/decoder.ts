/**
 * What every decoder does, so the pipeline around it (header checks before, ink and centring
 * after) is the same whichever one runs.
 */
import type { GrayImage } from '../gray-image';
import type { ImageHeader } from '../image-header';

/** Decoders this package has. */
export type DecoderName = 'sharp' | 'jimp';

/**
 * Longer side, in pixels, that a decoded image is reduced to before the digit is looked for. The
 * digit ends 20 px tall; even one that fills a tenth of a 560 px photo is 56 px before that last
 * step, so nothing the model sees is lost, and a 12 MP JPEG decodes at 1/8 scale (shrink-on-load).
 */
export const DECODE_LONG_SIDE = 560;

/** What {@link ImageDecoder.decode} is told about the file, all checked before it is called. */
export interface DecodeRequest {
  bytes: Uint8Array;
  header: ImageHeader;
  /** Size to deliver, as stored (before EXIF orientation): the header's, or {@link reducedSize}. */
  target: { width: number; height: number };
  maxPixels: number;
  /** File name for messages. */
  name: string;
}

/**
 * A decoder: bytes in, grey pixels of `target` size out, alpha composited onto white, as stored.
 * EXIF orientation is applied afterwards, from our own parser, so both decoders turn a file alike.
 */
export interface ImageDecoder {
  readonly name: DecoderName;
  /** The version string shown in the start-up line (`sharp 0.35.5 (libvips 8.18.7)`). */
  readonly version: string;
  /** True when it decodes this image itself; others go to jimp (BMP with sharp, tiny PNGs with `auto`). */
  supports(header: ImageHeader): boolean;
  /** Throws whatever the library throws; the caller maps it to `IMAGE_DECODE_FAILED`. */
  decode(request: DecodeRequest): Promise<GrayImage>;
}

/**
 * The size an upright `width` x `height` image is delivered at: unchanged up to
 * {@link DECODE_LONG_SIDE}, else scaled so its longer side is that, keeping the aspect ratio.
 *
 * @example
 * reducedSize(4000, 3000); // { width: 560, height: 420 }
 * reducedSize(280, 280);   // { width: 280, height: 280 }
 */
export function reducedSize(width: number, height: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= DECODE_LONG_SIDE) return { width, height };
  const scale = DECODE_LONG_SIDE / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
