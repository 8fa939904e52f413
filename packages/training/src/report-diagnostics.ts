import type * as tfl from '@tensorflow/tfjs-layers';
import {
  CLASS_COUNT,
  DIGIT_PIXELS,
  DIGIT_SIZE,
  INPUT_PADDING,
  MNIST_MEAN,
  MNIST_STD,
  MODEL_INPUT_SIZE,
  MODEL_INPUT_VALUES,
} from '@lenet/digit';
import { predictProbabilities } from '@lenet/model';
import type { Examples } from './examples';

/** A test digit the model got wrong, as the report's gallery draws it. */
export interface WrongExample {
  /** Position in the test split. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gave `predicted`. */
  confidence: number;
  /** The 28x28 digit: bytes 0..255, white ink on black, row-major (as in the IDX file). */
  pixels: Uint8Array;
}

/** What {@link renderReport} needs besides the history, from the final model on the test split. */
export interface TestDiagnostics {
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  /** The most confidently wrong test digits, most confident first. */
  wrong: WrongExample[];
}

/**
 * Recovers the 28x28 bytes of example `index` from its padded, normalised model input. Exact: every
 * input value came from one byte through `(byte / 255 - mean) / std`, so inverting and rounding gives it back,
 * and the report needs nothing but the examples training already holds.
 *
 * @example
 * digitOfExample(examplesFromDigits(images, labels), 0); // equals images.subarray(0, 784)
 */
export function digitOfExample(examples: Examples, index: number): Uint8Array {
  const pixels = new Uint8Array(DIGIT_PIXELS);
  const base = index * MODEL_INPUT_VALUES + INPUT_PADDING * MODEL_INPUT_SIZE + INPUT_PADDING;
  for (let row = 0; row < DIGIT_SIZE; row += 1) {
    for (let col = 0; col < DIGIT_SIZE; col += 1) {
      const value = examples.inputs[base + row * MODEL_INPUT_SIZE + col] as number;
      pixels[row * DIGIT_SIZE + col] = Math.round((value * MNIST_STD + MNIST_MEAN) * 255);
    }
  }
  return pixels;
}

/**
 * The confusion matrix of `model` on `examples` and its `wrongCount` most confidently wrong examples with
 * their pixels: the report's heat map and gallery. Predicted in passes of `batchSize` ({@link predictProbabilities}).
 *
 * @example
 * const diagnostics = diagnoseTestSet(result.model, test);
 * // { confusion: [[197, 0, ...], ...], wrong: [{ index: 1247, label: 9, predicted: 5, confidence: 0.998, pixels }, ...] }
 * renderReport(result.history, { title, details, ...diagnostics });
 */
export function diagnoseTestSet(
  model: tfl.LayersModel,
  examples: Examples,
  options: { wrongCount?: number; batchSize?: number } = {},
): TestDiagnostics {
  const { wrongCount = 24, batchSize = 500 } = options;
  const confusion = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  const mistakes: Array<Omit<WrongExample, 'pixels'>> = [];
  const probabilities = predictProbabilities(model, examples.inputs, examples.count, batchSize);
  for (let i = 0; i < examples.count; i += 1) {
    const row = probabilities.subarray(i * CLASS_COUNT, (i + 1) * CLASS_COUNT);
    let predicted = 0;
    for (let k = 1; k < CLASS_COUNT; k += 1) if ((row[k] as number) > (row[predicted] as number)) predicted = k;
    const label = examples.labels[i] as number;
    const counts = confusion[label] as number[];
    counts[predicted] = (counts[predicted] as number) + 1;
    if (predicted !== label) mistakes.push({ index: i, label, predicted, confidence: row[predicted] as number });
  }
  mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  const wrong = mistakes.slice(0, wrongCount).map((m) => ({ ...m, pixels: digitOfExample(examples, m.index) }));
  return { confusion, wrong };
}
