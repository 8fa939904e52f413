import { decodeImage, type DecodeImageOptions } from './decode-image';
import type { DecoderName } from './decoders/decoder';
import type { ImageFormat } from './image-format';
import { preprocessGray, type PreprocessedDigit } from './preprocess-gray';

/** Options for {@link preprocessImage}: those of `decodeImage`. */
export type PreprocessImageOptions = DecodeImageOptions;

/** An uploaded file turned into model input, with what was uploaded. */
export interface PreprocessedImage extends PreprocessedDigit {
  /** Size of the uploaded image, after EXIF orientation (not of the reduced copy that was decoded). */
  width: number;
  height: number;
  /** Format found from the magic bytes. */
  format: ImageFormat;
  /** The decoder that read it. */
  decoder: DecoderName;
}

/**
 * Bytes of an uploaded PNG, JPEG, GIF, BMP or TIFF to the 28x28 digit and the model input: decode
 * (size checked first, EXIF orientation, alpha onto white, grey), then the MNIST recipe.
 * Node only (decodes with sharp or jimp, see `selectDecoder`); `preprocessGray` is the same pipeline from pixels.
 *
 * @throws ImageError with codes `IMAGE_UNSUPPORTED_FORMAT`, `IMAGE_TRUNCATED`, `IMAGE_TOO_MANY_PIXELS`,
 * `IMAGE_TOO_COMPLEX`, `IMAGE_DECODE_FAILED`, `IMAGE_NO_DIGIT`
 * @example
 * const result = await preprocessImage(await readFile('digit-6.png'), { name: 'digit-6.png' });
 * result; // { digit: Uint8Array(784), input: Float32Array(1024), width: 240, height: 240, format: 'png', decoder: 'sharp' }
 */
export async function preprocessImage(
  bytes: Uint8Array,
  options: PreprocessImageOptions = {},
): Promise<PreprocessedImage> {
  const gray = await decodeImage(bytes, options);
  return {
    ...preprocessGray(gray, { name: options.name }),
    width: gray.sourceWidth,
    height: gray.sourceHeight,
    format: gray.format,
    decoder: gray.decoder,
  };
}
