import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, MODEL_INPUT_SIZE, MODEL_INPUT_VALUES } from '@lenet/digit';
import { logitsOf } from '@lenet/model';
import type { Examples } from './examples';

/** Test-set results; the JSON names are what `lenet test --json` prints. */
export interface Evaluation {
  count: number;
  loss: number;
  accuracy: number;
  /** Accuracy per true class 0..9 (null for a class with no examples). */
  perClass: Array<number | null>;
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
}

/**
 * Summed softmax cross-entropy and predicted classes of `count` inputs, in batches of `batchSize` so
 * memory stays bounded at full MNIST scale. The parallel trainer's workers run this on their share.
 *
 * @example
 * const { lossSum, predicted } = predictBatches(model, test.inputs, test.labels, 0, 2000, 1000);
 */
export function predictBatches(
  model: tfl.LayersModel,
  inputs: Float32Array,
  labels: ArrayLike<number>,
  start: number,
  count: number,
  batchSize = 1000,
): { lossSum: number; predicted: Int32Array } {
  const predicted = new Int32Array(count);
  let lossSum = 0;
  for (let offset = 0; offset < count; offset += batchSize) {
    const size = Math.min(batchSize, count - offset);
    const first = start + offset;
    const [lossTensor, predictedTensor] = tf.tidy(() => {
      const xs = tf.tensor4d(inputs.subarray(first * MODEL_INPUT_VALUES, (first + size) * MODEL_INPUT_VALUES), [
        size,
        MODEL_INPUT_SIZE,
        MODEL_INPUT_SIZE,
        1,
      ]);
      const logits = logitsOf(model, xs);
      const truth = Int32Array.from({ length: size }, (_, i) => labels[first + i] as number);
      const ys = tf.oneHot(tf.tensor1d(truth, 'int32'), CLASS_COUNT);
      return [tf.losses.softmaxCrossEntropy(ys, logits, undefined, undefined, tf.Reduction.SUM), tf.argMax(logits, 1)];
    });
    lossSum += lossTensor.dataSync()[0] as number;
    predicted.set(predictedTensor.dataSync() as Int32Array, offset);
    tf.dispose([lossTensor, predictedTensor]);
  }
  return { lossSum, predicted };
}

/**
 * The {@link Evaluation} of predictions: `predicted[i]` is the class chosen for the example labelled
 * `labels[i]`, `lossSum` the summed cross-entropy over all of them.
 *
 * @example
 * summariseEvaluation(Uint8Array.of(1, 2), Int32Array.of(1, 3), 0.9); // { count: 2, loss: 0.45, accuracy: 0.5, ... }
 */
export function summariseEvaluation(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  lossSum: number,
): Evaluation {
  const confusion = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const truth = labels[i] as number;
    const guess = predicted[i] as number;
    const row = confusion[truth] as number[];
    row[guess] = (row[guess] as number) + 1;
    if (truth === guess) correct += 1;
  }
  const perClass = confusion.map((row, digit) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : (row[digit] as number) / total;
  });
  const count = labels.length;
  return {
    count,
    loss: count === 0 ? NaN : lossSum / count,
    accuracy: count === 0 ? NaN : correct / count,
    perClass,
    confusion,
  };
}

/**
 * Mean softmax cross-entropy, accuracy, per-class accuracy and the confusion matrix of `model` on
 * `examples`, in batches (1000 by default: larger batches are faster, memory stays bounded).
 *
 * @example
 * const result = evaluate(model, test);
 * // { count: 2000, loss: 0.061, accuracy: 0.9815, perClass: [0.99, ...], confusion: [[197, 0, ...], ...] }
 */
export function evaluate(model: tfl.LayersModel, examples: Examples, batchSize = 1000): Evaluation {
  const { lossSum, predicted } = predictBatches(model, examples.inputs, examples.labels, 0, examples.count, batchSize);
  return summariseEvaluation(examples.labels.subarray(0, examples.count), predicted, lossSum);
}
