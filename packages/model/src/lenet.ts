import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, MODEL_INPUT_SIZE, MODEL_INPUT_VALUES } from '@lenet/digit';

/** Options for {@link createLenet}. */
export interface LenetOptions {
  /** Seed for the weight initialisers; the same seed gives the same initial weights. */
  seed?: number;
}

/** Parameters in the LeNet built by {@link createLenet}. */
export const LENET_PARAMETER_COUNT = 61_706;

/**
 * PyTorch's default initialisation (kaiming-uniform with a = sqrt(5)): weights and biases uniform in
 * +-1/sqrt(fan_in). Matching it keeps our accuracy comparable with the PyTorch reference runs.
 */
function initialisers(fanIn: number, seed: number | undefined) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tfl.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed }),
    biasInitializer: tfl.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: seed === undefined ? undefined : seed + 1,
    }),
  };
}

/**
 * Builds the LeNet of the tutorial: 32x32x1 input, conv 6@5x5 + ReLU, max-pool 2, conv 16@5x5 + ReLU,
 * max-pool 2, dense 120 + ReLU, dense 84 + ReLU, dense 10 logits (softmax lives in the loss and in
 * {@link predictProbabilities}).
 *
 * @example
 * const model = createLenet({ seed: 1 });
 * model.countParams(); // 61706
 * model.outputs[0].shape; // [null, 10]
 */
export function createLenet(options: LenetOptions = {}): tfl.Sequential {
  const layerSeed = (offset: number) => (options.seed === undefined ? undefined : options.seed * 100 + offset * 2);
  return tfl.sequential({
    name: 'lenet',
    layers: [
      tfl.layers.conv2d({
        name: 'conv1',
        inputShape: [MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1],
        filters: 6,
        kernelSize: 5,
        activation: 'relu',
        ...initialisers(1 * 5 * 5, layerSeed(0)),
      }),
      tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({
        name: 'conv2',
        filters: 16,
        kernelSize: 5,
        activation: 'relu',
        ...initialisers(6 * 5 * 5, layerSeed(1)),
      }),
      tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'fc1', units: 120, activation: 'relu', ...initialisers(400, layerSeed(2)) }),
      tfl.layers.dense({ name: 'fc2', units: 84, activation: 'relu', ...initialisers(120, layerSeed(3)) }),
      tfl.layers.dense({ name: 'fc3', units: CLASS_COUNT, ...initialisers(84, layerSeed(4)) }),
    ],
  });
}

/**
 * Logits for a whole batch of model inputs in one pass. Not `model.predict`: it cuts its input into
 * batches of 32, and on the WASM backend every cut copies the entire input out of the WASM heap
 * (the slice kernel reads the whole tensor), which made evaluating 2,000 test digits take twice as
 * long (233 ms against 114 ms) and cost a training epoch 5% of its main thread.
 *
 * @param x - `[count, 32, 32, 1]` inputs; the caller disposes it (or runs this inside `tf.tidy`).
 * @example
 * tf.tidy(() => logitsOf(model, tf.tensor4d(inputs, [count, 32, 32, 1])).argMax(1).dataSync()); // Int32Array [7, 2, ...]
 */
export function logitsOf(model: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  return model.apply(x, { training: false }) as tf.Tensor2D;
}

/** Inputs per forward pass in {@link predictProbabilities}: conv1's output is 18.8 KB an input, 19 MB a chunk. */
const PREDICT_CHUNK = 1000;

/**
 * Class probabilities for a batch of model inputs, as plain arrays (one row of ten per input), in
 * forward passes of at most 1,000 inputs, so a large set does not need gigabytes of WASM heap.
 *
 * @param inputs - `count * 1024` floats from `digitsToModelInput`.
 * @param chunk - inputs per forward pass (default 1,000).
 * @example
 * predictProbabilities(model, digitsToModelInput(digits), 2); // [[0.01, ..., 0.9], [...]]
 */
export function predictProbabilities(
  model: tfl.LayersModel,
  inputs: Float32Array,
  count: number,
  chunk = PREDICT_CHUNK,
): Float32Array {
  const probabilities = new Float32Array(count * CLASS_COUNT);
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    tf.tidy(() => {
      const x = tf.tensor4d(inputs.subarray(start * MODEL_INPUT_VALUES, (start + size) * MODEL_INPUT_VALUES), [
        size,
        MODEL_INPUT_SIZE,
        MODEL_INPUT_SIZE,
        1,
      ]);
      probabilities.set(tf.softmax(logitsOf(model, x)).dataSync() as Float32Array, start * CLASS_COUNT);
    });
  }
  return probabilities;
}
