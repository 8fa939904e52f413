/**
 * The pure part of `@lenet/image`: typed arrays in, typed arrays out, no jimp and no Node APIs, so
 * it bundles for the browser and runs in worker threads. Import it as `@lenet/image/browser` (a
 * subpath in the package's `exports` map). Get pixels from a canvas, then:
 *
 * @example
 * import { grayscaleFromRgba, preprocessGray, digitToRgba } from '@lenet/image/browser';
 * const { digit, input } = preprocessGray(grayscaleFromRgba(ctx.getImageData(0, 0, w, h)));
 * preview.putImageData(new ImageData(digitToRgba(digit), 28, 28), 0, 0);
 */
export {
  DECODER_ERROR_CODES,
  type DecoderErrorCode,
  DecoderUnavailableError,
  IMAGE_ERROR_CODES,
  ImageDecodeError,
  ImageError,
  type ImageErrorCode,
  ImageTooComplexError,
  ImageTooLargeError,
  NoDigitError,
  TruncatedImageError,
  UnsupportedImageFormatError,
} from './errors';
export type { GrayImage, RgbaImage } from './gray-image';
export { type ImageFormat, sniffImageFormat } from './image-format';
export { type ImageHeader, readImageHeader, type ReadImageHeaderOptions } from './image-header';
export { type Orientation, readExifOrientation } from './exif-orientation';
export { orientGray } from './orient-gray';
export { grayscaleFromRgba } from './grayscale-from-rgba';
export {
  DIGIT_BOX_SIZE,
  type DigitExtraction,
  digitFromGray,
  extractDigit,
  type ExtractDigitOptions,
  MIN_DIGIT_EXTENT,
} from './digit-from-gray';
export type { InkBox } from './ink-components';
export type { InkLevels } from './ink-levels';
export { centreOfMass } from './centre-digit';
export { resample } from './resample';
export { type PreprocessedDigit, preprocessGray } from './preprocess-gray';
export { digitToRgba } from './digit-to-rgba';
export { tutorialBaselineInput } from './tutorial-baseline';
