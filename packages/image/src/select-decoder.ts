/**
 * Choosing the decoder once at start: `--decoder auto|sharp|jimp` in the CLI and the server (env
 * `DECODER`), printed on the first line of output like the TensorFlow.js backend.
 */
import type { DecoderName, ImageDecoder } from './decoders/decoder';
import { jimpDecoder } from './decoders/jimp-decoder';
import { sharpDecoder } from './decoders/sharp-decoder';
import { DecoderUnavailableError } from './errors';
import type { ImageHeader } from './image-header';

/** What `--decoder` accepts: `auto` is sharp when its native binding loads, else jimp. */
export const DECODER_REQUESTS = ['auto', 'sharp', 'jimp'] as const;

/** One of {@link DECODER_REQUESTS}. */
export type DecoderRequest = (typeof DECODER_REQUESTS)[number];

/** The decoder chosen, and the line that says so. */
export interface DecoderSelection {
  decoder: ImageDecoder;
  /** `image decoder: sharp 0.35.5 (libvips 8.18.7)` or `image decoder: jimp (sharp unavailable: <reason>)`. */
  description: string;
}

/**
 * True when `value` is one of {@link DECODER_REQUESTS}: for validating a flag or an env var.
 *
 * @example
 * isDecoderRequest('sharp'); // true
 * isDecoderRequest('vips');  // false
 */
export function isDecoderRequest(value: unknown): value is DecoderRequest {
  return (DECODER_REQUESTS as readonly unknown[]).includes(value);
}

/** The first line of a load error, without Node's "Require stack" that follows it. */
function reasonOf(error: Error): string {
  return (error.message.split('\n')[0] ?? '').trim() || error.name;
}

/**
 * Picks the image decoder. `auto` takes sharp and falls back to jimp when sharp's native binding
 * cannot be loaded; it also leaves lossless images of up to 128x128 pixels to jimp, which decodes
 * them faster. `sharp` and `jimp` insist. Formats sharp does not read (BMP) always go to jimp,
 * whichever is chosen; `decodeImage` names the one that ran in its result.
 *
 * @throws DecoderUnavailableError (`DECODER_UNAVAILABLE`) when `sharp` is requested and cannot be
 *   loaded, or `request` is not one of {@link DECODER_REQUESTS}
 * @example
 * selectDecoder('auto').description; // 'image decoder: sharp 0.35.5 (libvips 8.18.7)'
 * selectDecoder('jimp').description; // 'image decoder: jimp (requested)'
 * // without sharp's binding:
 * selectDecoder('auto').description; // "image decoder: jimp (sharp unavailable: Cannot find module 'sharp')"
 */
export function selectDecoder(request: DecoderRequest = 'auto'): DecoderSelection {
  if (!isDecoderRequest(request)) {
    throw new DecoderUnavailableError(
      `image decoder: expected one of ${DECODER_REQUESTS.join(', ')}, found ${JSON.stringify(request)}`,
    );
  }
  if (request === 'jimp') return { decoder: jimpDecoder, description: 'image decoder: jimp (requested)' };
  const sharp = sharpDecoder(request === 'sharp' ? 'strict' : 'auto');
  if (!(sharp instanceof Error)) return { decoder: sharp, description: `image decoder: ${sharp.version}` };
  if (request === 'sharp') {
    throw new DecoderUnavailableError(`image decoder: expected sharp, found it unavailable (${reasonOf(sharp)})`, {
      cause: sharp,
    });
  }
  return { decoder: jimpDecoder, description: `image decoder: jimp (sharp unavailable: ${reasonOf(sharp)})` };
}

/**
 * The decoder that will actually read an image: `decoder` itself, or jimp for what it leaves.
 *
 * @example
 * decoderFor(selectDecoder('sharp').decoder, { format: 'bmp', width: 640, height: 480 }).name; // 'jimp'
 * decoderFor(selectDecoder('auto').decoder, { format: 'png', width: 28, height: 28 }).name;    // 'jimp'
 */
export function decoderFor(decoder: ImageDecoder, header: ImageHeader): ImageDecoder {
  return decoder.supports(header) ? decoder : jimpDecoder;
}

export type { DecoderName, ImageDecoder };
