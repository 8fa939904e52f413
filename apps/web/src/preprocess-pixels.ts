/**
 * Canvas pixels to the 28x28 digit and the model input, with the very functions the server runs
 * (`@lenet/image/browser`, the package's pure entry).
 */
import { grayscaleFromRgba, preprocessGray, type PreprocessedDigit } from '@lenet/image/browser';

/** The digit the model sees, and how long finding it took. */
export interface PagePreprocessed extends PreprocessedDigit {
  ms: number;
}

/**
 * @throws NoDigitError (`IMAGE_NO_DIGIT`) when the pixels hold no digit
 * @example
 * const { digit, input, ms } = preprocessPixels(pad.imageData(), 'drawing');
 * [digit.length, input.length]; // [784, 1024]
 */
export function preprocessPixels(pixels: ImageData, name: string): PagePreprocessed {
  const started = performance.now();
  const result = preprocessGray(grayscaleFromRgba(pixels), { name });
  return { ...result, ms: performance.now() - started };
}
