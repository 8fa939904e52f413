import { MODEL_INPUT_SIZE } from '@lenet/digit';
import { assertImageShape, type GrayImage } from './gray-image';
import { resample } from './resample';

/**
 * The tutorial's preprocessing, kept only as a baseline to measure ours against: the whole image
 * squashed to 32x32 (no crop, no centring, aspect ratio ignored), rounded to bytes, inverted
 * (255 - v) and divided by 255 — no mean/std normalisation, unlike training. Do not feed its output
 * to a model trained on `digitToModelInput` inputs except to show how much worse it does.
 *
 * @returns 1024 floats in 0..1, row-major 32x32
 * @example
 * const white = { width: 300, height: 400, data: new Uint8Array(120_000).fill(255) };
 * tutorialBaselineInput(white).every((v) => v === 0); // true
 */
export function tutorialBaselineInput(gray: GrayImage): Float32Array {
  assertImageShape(gray, 1, 'tutorialBaselineInput: gray');
  const small = resample(gray.data, gray.width, gray.height, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
  return small.map((v) => (255 - Math.round(v)) / 255);
}
