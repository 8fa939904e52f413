/**
 * `@lenet/image`: uploaded image bytes to the 28x28 MNIST-style digit and the LeNet input.
 * Node entry (decodes with jimp). Bundlers targeting the browser pick `browser.ts` instead (the
 * package's "browser" field): the same API without `decodeImage` and `preprocessImage`.
 *
 * @example
 * import { preprocessImage } from '@lenet/image';
 * const { digit, input, format } = await preprocessImage(bytes, { name: 'photo.jpg' });
 */
export * from './browser';
export { DEFAULT_MAX_PIXELS, type DecodedImage, decodeImage, type DecodeImageOptions } from './decode-image';
export { type PreprocessedImage, preprocessImage, type PreprocessImageOptions } from './preprocess';
