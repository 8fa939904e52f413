import { digitToModelInput } from '@lenet/digit';
import { extractDigit, type ExtractDigitOptions } from './digit-from-gray';
import type { GrayImage } from './gray-image';

/** The digit the model sees, as bytes to show and as the model's input. */
export interface PreprocessedDigit {
  /** 784 bytes, 28x28 white digit on black. */
  digit: Uint8Array;
  /** 1024 floats, 32x32 padded and normalised by `digitToModelInput`. */
  input: Float32Array;
}

/**
 * Grey pixels to model input, for callers that already have pixels: a browser page (from a canvas,
 * via `grayscaleFromRgba`) or a worker thread. No decoding, no Node APIs.
 *
 * @throws NoDigitError (`IMAGE_NO_DIGIT`) when no digit is found
 * @example
 * const { digit, input } = preprocessGray(grayscaleFromRgba(ctx.getImageData(0, 0, w, h)));
 * digit.length; // 784
 * input.length; // 1024
 */
export function preprocessGray(gray: GrayImage, options: ExtractDigitOptions = {}): PreprocessedDigit {
  const { digit } = extractDigit(gray, options);
  return { digit, input: digitToModelInput(digit) };
}
