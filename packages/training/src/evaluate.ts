import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, MODEL_INPUT_SIZE, MODEL_INPUT_VALUES } from '@lenet/digit';
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
 * Mean softmax cross-entropy, accuracy, per-class accuracy and the confusion matrix of `model` on
 * `examples`, in batches so memory stays bounded at full MNIST scale.
 *
 * @example
 * const result = evaluate(model, test);
 * // { count: 2000, loss: 0.061, accuracy: 0.9815, perClass: [0.99, ...], confusion: [[197, 0, ...], ...] }
 */
export function evaluate(model: tfl.LayersModel, examples: Examples, batchSize = 500): Evaluation {
  const confusion = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < examples.count; start += batchSize) {
    const size = Math.min(batchSize, examples.count - start);
    const labels = examples.labels.subarray(start, start + size);
    const [lossTensor, predictedTensor] = tf.tidy(() => {
      const xs = tf.tensor4d(
        examples.inputs.subarray(start * MODEL_INPUT_VALUES, (start + size) * MODEL_INPUT_VALUES),
        [size, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1],
      );
      const logits = model.predict(xs) as tf.Tensor2D;
      const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASS_COUNT);
      return [tf.losses.softmaxCrossEntropy(ys, logits, undefined, undefined, tf.Reduction.SUM), tf.argMax(logits, 1)];
    });
    lossSum += lossTensor.dataSync()[0] as number;
    const predicted = predictedTensor.dataSync();
    tf.dispose([lossTensor, predictedTensor]);
    for (let i = 0; i < size; i += 1) {
      const truth = labels[i] as number;
      const guess = predicted[i] as number;
      (confusion[truth] as number[])[guess] = ((confusion[truth] as number[])[guess] as number) + 1;
      if (truth === guess) correct += 1;
    }
  }
  const perClass = confusion.map((row, digit) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : (row[digit] as number) / total;
  });
  const count = examples.count;
  return {
    count,
    loss: count === 0 ? NaN : lossSum / count,
    accuracy: count === 0 ? NaN : correct / count,
    perClass,
    confusion,
  };
}
