import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_INPUT_VALUES } from '@lenet/digit';
import { selectBackend } from '@lenet/backend';
import { createLenet } from '@lenet/model';
import { mulberry32 } from './shuffle';
import { batchGradients, createTrainStep, trainableVariables } from './train-step';

const random = mulberry32(9);
const inputs = Float32Array.from({ length: 8 * MODEL_INPUT_VALUES }, () => random() * 2 - 1);
const labels = Int32Array.from({ length: 8 }, (_, i) => i % 10);

const values = (model: tfl.LayersModel) => trainableVariables(model).map((v) => Float32Array.from(v.dataSync()));

/** The plain gradient (no decay) of the batch's mean loss at `model`'s weights. */
function plainGradient(model: tfl.LayersModel): Float32Array[] {
  const variables = trainableVariables(model);
  return tf.tidy(() => {
    const { grads } = batchGradients(model, variables, inputs, labels);
    return variables.map((v) => Float32Array.from((grads[v.name] as tf.Tensor).dataSync()));
  });
}

function expectClose(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
  let worst = 0;
  actual.forEach((a, i) =>
    a.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (expected[i] as Float32Array)[k]!)))),
  );
  expect(worst).toBeLessThan(2e-6);
}

describe('createTrainStep', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  test('when weight decay is on, then two steps equal the hand-computed SGD with momentum and L2 (PyTorch semantics)', () => {
    const [lr, momentum, decay] = [0.1, 0.9, 0.05];
    const model = createLenet({ seed: 5 });
    const probe = createLenet({ seed: 5 });
    const step = createTrainStep({ model, learningRate: lr, momentum, weightDecay: decay });

    const w0 = values(model);
    const g1 = plainGradient(probe);
    step.run(inputs, labels);
    // buf1 = g1 + wd * w0; w1 = w0 - lr * buf1
    const buf1 = w0.map((w, i) => w.map((v, k) => g1[i]![k]! + decay * v));
    const w1 = w0.map((w, i) => w.map((v, k) => v - lr * buf1[i]![k]!));
    expectClose(values(model), w1);

    trainableVariables(probe).forEach((v, i) => v.assign(tf.tensor(w1[i]!, v.shape)));
    const g2 = plainGradient(probe);
    step.run(inputs, labels);
    // buf2 = m * buf1 + g2 + wd * w1; w2 = w1 - lr * buf2
    const w2 = w1.map((w, i) => w.map((v, k) => v - lr * (momentum * buf1[i]![k]! + g2[i]![k]! + decay * v)));
    expectClose(values(model), w2);
  });

  test('when weight decay is 0, then one step is plain SGD (w - lr * g)', () => {
    const model = createLenet({ seed: 6 });
    const probe = createLenet({ seed: 6 });
    const step = createTrainStep({ model, learningRate: 0.05, momentum: 0.9, weightDecay: 0 });
    const w0 = values(model);
    const g = plainGradient(probe);
    const result = step.run(inputs, labels);
    expectClose(
      values(model),
      w0.map((w, i) => w.map((v, k) => v - 0.05 * g[i]![k]!)),
    );
    expect(result.loss).toBeGreaterThan(0);
    expect(result.correct).toBeGreaterThanOrEqual(0);
    expect(result.correct).toBeLessThanOrEqual(8);
  });
});
