import * as tf from '@tensorflow/tfjs-core';
import { createLenet, LENET_PARAMETER_COUNT, logitsOf, predictProbabilities } from './lenet';
import { digitsToModelInput } from '@lenet/digit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createLenet', () => {
  test('when built, then it has the tutorial layers, 61,706 parameters and ten logits', () => {
    const model = createLenet({ seed: 1 });
    expect(model.countParams()).toBe(LENET_PARAMETER_COUNT);
    expect(LENET_PARAMETER_COUNT).toBe(61_706);
    expect(model.inputs[0]!.shape).toEqual([null, 32, 32, 1]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    expect(model.layers.map((layer) => [layer.name, layer.outputShape])).toEqual([
      ['conv1', [null, 28, 28, 6]],
      ['pool1', [null, 14, 14, 6]],
      ['conv2', [null, 10, 10, 16]],
      ['pool2', [null, 5, 5, 16]],
      ['flatten', [null, 400]],
      ['fc1', [null, 120]],
      ['fc2', [null, 84]],
      ['fc3', [null, 10]],
    ]);
  });

  test('when built twice with one seed, then the weights are equal; with another seed, they differ', () => {
    const first = createLenet({ seed: 7 })
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    const again = createLenet({ seed: 7 })
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    const other = createLenet({ seed: 8 })
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    expect(again).toEqual(first);
    expect(other[0]).not.toEqual(first[0]);
  });

  test('when initialised, then weights lie within PyTorch default bounds of 1/sqrt(fan_in)', () => {
    const [conv1Kernel, conv1Bias] = createLenet({ seed: 3 }).getWeights();
    const bound = 1 / Math.sqrt(25);
    for (const value of [...conv1Kernel!.dataSync(), ...conv1Bias!.dataSync()])
      expect(Math.abs(value)).toBeLessThanOrEqual(bound + 1e-6);
  });
});

describe('predictProbabilities', () => {
  test('when given two inputs, then it returns two rows of ten probabilities summing to one', () => {
    const model = createLenet({ seed: 1 });
    const probabilities = predictProbabilities(model, digitsToModelInput(new Uint8Array(2 * 784).fill(40)), 2);
    expect(probabilities).toHaveLength(20);
    for (const row of [probabilities.subarray(0, 10), probabilities.subarray(10)]) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe('logitsOf', () => {
  test('when given more inputs than model.predict batches at once (40 > 32), then its logits equal predict', () => {
    const model = createLenet({ seed: 3 });
    const inputs = Float32Array.from({ length: 40 * 1024 }, (_, i) => Math.sin(i * 0.37));
    const [direct, viaPredict] = tf.tidy(() => {
      const x = tf.tensor4d(inputs, [40, 32, 32, 1]);
      return [logitsOf(model, x).arraySync(), (model.predict(x) as tf.Tensor).arraySync() as number[][]];
    });
    expect(direct).toHaveLength(40);
    direct.forEach((row, i) =>
      row.forEach((v, k) => expect(v).toBeCloseTo((viaPredict[i] as number[])[k] as number, 5)),
    );
  });
});

describe('predictProbabilities in chunks', () => {
  test('when five inputs go through in chunks of two, then each row equals that input predicted alone', () => {
    const model = createLenet({ seed: 5 });
    const inputs = Float32Array.from({ length: 5 * 1024 }, (_, i) => Math.cos(i * 0.11));
    const chunked = predictProbabilities(model, inputs, 5, 2);
    expect(chunked).toHaveLength(50);
    for (let n = 0; n < 5; n += 1) {
      const alone = predictProbabilities(model, inputs.subarray(n * 1024, (n + 1) * 1024), 1);
      alone.forEach((p, k) => expect(chunked[n * 10 + k]).toBeCloseTo(p, 5));
    }
  });
});
