import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend';

/** Gradient of a weighted sum of max-pooled values, so every output position carries a distinct dy. */
function poolGradient(
  shape: [number, number, number, number],
  window: number,
  stride: number,
  pad: 'valid' | 'same',
  seed: number,
  ties: boolean,
): number[] {
  return tf.tidy(() => {
    // Rounded values make ties common, which checks that the first maximum of a window wins.
    const uniform = tf.randomUniform(shape, 0, 4, 'float32', seed);
    const x = (ties ? tf.round(uniform) : uniform) as tf.Tensor4D;
    const pooledShape = tf.maxPool(x, window, stride, pad).shape;
    const weights = tf.randomNormal(pooledShape, 0, 1, 'float32', seed + 1);
    return Array.from(
      tf
        .grad((z: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(z as tf.Tensor4D, window, stride, pad), weights)))(x)
        .dataSync(),
    );
  });
}

// The stock WASM and cpu kernels break ties differently for overlapping windows, so the case that
// falls through to the stock kernel is checked without ties.
const cases: Array<[string, [number, number, number, number], number, number, 'valid' | 'same', boolean]> = [
  ['LeNet pool1 (2x2/2 on 28x28x6)', [4, 28, 28, 6], 2, 2, 'valid', true],
  ['LeNet pool2 (2x2/2 on 10x10x16)', [3, 10, 10, 16], 2, 2, 'valid', true],
  ['a 3x3/2 same pooling (stock kernel)', [2, 9, 9, 3], 3, 2, 'same', false],
];

test('when the WASM MaxPoolGrad kernel is replaced, then its gradients equal the cpu backend, ties included', async () => {
  await tf.setBackend('cpu');
  const reference = cases.map(([, shape, window, stride, pad, ties], i) =>
    poolGradient(shape, window, stride, pad, 10 + i, ties),
  );
  const choice = await selectBackend('wasm');
  expect(choice.name).toBe('wasm');
  cases.forEach(([, shape, window, stride, pad, ties], i) => {
    const ours = poolGradient(shape, window, stride, pad, 10 + i, ties);
    const expected = reference[i]!;
    expect(ours).toHaveLength(expected.length);
    // Overlapping windows add several dy into one dx, in another order on each backend.
    const worst = Math.max(...ours.map((value, k) => Math.abs(value - expected[k]!)));
    expect(worst).toBeLessThan(1e-5);
  });
});
