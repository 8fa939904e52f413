/**
 * `@lenet/image`: uploaded image bytes to the 28x28 MNIST-style digit and the LeNet input.
 * Node entry (decodes with sharp, or jimp where sharp's binding is missing). Browser code imports
 * `@lenet/image/browser` instead: the same API without decoding.
 *
 * @example
 * import { preprocessImage, selectDecoder } from '@lenet/image';
 * const { decoder, description } = selectDecoder('auto'); // description: 'image decoder: sharp 0.35.5 (libvips 8.18.7)'
 * const { digit, input, format } = await preprocessImage(bytes, { name: 'photo.jpg', decoder });
 */
export {
  centreOfMass,
  DECODER_ERROR_CODES,
  type DecoderErrorCode,
  DecoderUnavailableError,
  DIGIT_BOX_SIZE,
  type DigitExtraction,
  digitFromGray,
  digitToRgba,
  extractDigit,
  type ExtractDigitOptions,
  type GrayImage,
  grayscaleFromRgba,
  IMAGE_ERROR_CODES,
  ImageDecodeError,
  ImageError,
  type ImageErrorCode,
  type ImageFormat,
  type ImageHeader,
  ImageTooComplexError,
  ImageTooLargeError,
  type InkBox,
  type InkLevels,
  MIN_DIGIT_EXTENT,
  NoDigitError,
  type Orientation,
  orientGray,
  type PreprocessedDigit,
  preprocessGray,
  readExifOrientation,
  readImageHeader,
  type ReadImageHeaderOptions,
  resample,
  type RgbaImage,
  sniffImageFormat,
  TruncatedImageError,
  tutorialBaselineInput,
  UnsupportedImageFormatError,
} from './browser';
export { DEFAULT_MAX_PIXELS, type DecodedImage, decodeImage, type DecodeImageOptions } from './decode-image';
export { DECODE_LONG_SIDE, type DecoderName, type ImageDecoder } from './decoders/decoder';
export { type PreprocessedImage, preprocessImage, type PreprocessImageOptions } from './preprocess';
export {
  DECODER_REQUESTS,
  type DecoderRequest,
  type DecoderSelection,
  isDecoderRequest,
  selectDecoder,
} from './select-decoder';
