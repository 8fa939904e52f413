import * as tf from '@tensorflow/tfjs-core';
import { SharedSgd } from './shared-sgd';

const options = { learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 };

/** The update spelled out: g = sum(shares[i] * gradients[i]) + wd * w; buf = m * buf + g; w -= lr * buf. */
function reference(weights: number[], buf: number[], gradients: number[][], shares: number[]) {
  weights.forEach((w, k) => {
    const g = gradients.reduce((sum, gradient, i) => sum + (shares[i] as number) * (gradient[k] as number), 0);
    const next = options.momentum * (buf[k] as number) + g + options.weightDecay * w;
    buf[k] = next;
    weights[k] = w - options.learningRate * next;
  });
}

function run(gradientCounts: number[]) {
  const variables = [tf.variable(tf.tensor1d([0.5, -1, 2])), tf.variable(tf.tensor1d([3, 0.25]))];
  const sgd = new SharedSgd(variables, options);
  const weights = [0.5, -1, 2, 3, 0.25];
  const buf = [0, 0, 0, 0, 0];
  gradientCounts.forEach((count, step) => {
    const gradients = Array.from({ length: count }, (_, i) => weights.map((_, k) => (i + 1) * 0.1 * (k - 2) + step));
    const shares = gradients.map((_, i) => (i + 1) / ((count * (count + 1)) / 2));
    sgd.apply(
      gradients.map((gradient) => Float32Array.from(gradient)),
      shares,
    );
    reference(weights, buf, gradients, shares);
  });
  const got = Array.from(sgd.weights);
  sgd.dispose();
  tf.dispose(variables);
  return { got, want: weights };
}

describe('SharedSgd.apply', () => {
  it.each([
    ['one thread', [1, 1]],
    ['two threads', [2, 2, 2]],
    ['three threads', [3, 3]],
    ['four threads, then two (the extra sum is cleared)', [4, 2]],
  ])(
    'when the gradients of %s are applied, then the weights follow SGD with momentum and weight decay',
    (_, counts) => {
      const { got, want } = run(counts);
      got.forEach((value, k) => expect(value).toBeCloseTo(want[k] as number, 5));
    },
  );

  it('when an update is applied, then the version moves so that workers reload', () => {
    const variables = [tf.variable(tf.tensor1d([1, 2]))];
    const sgd = new SharedSgd(variables, options);
    const before = sgd.version;
    sgd.apply([Float32Array.from([1, 1])], [1]);
    expect(sgd.version).toBe(before + 1);
    sgd.dispose();
    tf.dispose(variables);
  });
});
