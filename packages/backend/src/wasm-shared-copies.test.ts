import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend';

/** Gradients of a conv + bias + ReLU layer with respect to its filter and bias: clones and casts under the tape. */
function layerGradients(): number[][] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 12, 12, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([5, 5, 2, 4], 0, 0.3, 'float32', 2) as tf.Tensor4D;
    const bias = tf.randomNormal([4], 0, 0.1, 'float32', 3);
    const weights = tf.randomNormal([3, 8, 8, 4], 0, 1, 'float32', 4);
    const loss = (f: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.relu(tf.add(tf.conv2d(x, f as tf.Tensor4D, 1, 'valid'), b)), weights)) as tf.Scalar;
    return tf
      .grads(loss)([filter, bias])
      .map((gradient) => Array.from(gradient.dataSync()));
  });
}

const numDataIds = () => tf.engine().backend.numDataIds();

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

test('when a float32 tensor is cloned or cast to float32 on WASM, then the result shares its data and outlives it', () => {
  const before = numDataIds();
  const x = tf.tensor2d([1.5, -2, 3.25, 4], [2, 2]);
  const cloned = tf.clone(x);
  const cast = tf.cast(x, 'float32');
  expect(numDataIds()).toBe(before + 1);
  x.dispose();
  expect(Array.from(cloned.dataSync())).toEqual([1.5, -2, 3.25, 4]);
  expect({ shape: cast.shape, dtype: cast.dtype, values: Array.from(cast.dataSync()) }).toEqual({
    shape: [2, 2],
    dtype: 'float32',
    values: [1.5, -2, 3.25, 4],
  });
  tf.dispose([cloned, cast]);
  expect(numDataIds()).toBe(before);
});

test('when a cast changes the dtype on WASM, then it still converts into new memory', () => {
  const before = numDataIds();
  const ints = tf.tensor1d([1, -2, 3], 'int32');
  const floats = tf.cast(ints, 'float32');
  const decimals = tf.tensor1d([1.7, -2.2]);
  const truncated = tf.cast(decimals, 'int32');
  expect({ dtype: floats.dtype, values: Array.from(floats.dataSync()) }).toEqual({
    dtype: 'float32',
    values: [1, -2, 3],
  });
  expect(Array.from(truncated.dataSync())).toEqual([1, -2]);
  expect(numDataIds()).toBe(before + 4);
  tf.dispose([ints, floats, decimals, truncated]);
  expect(numDataIds()).toBe(before);
});

test('when a conv + bias + ReLU layer is differentiated on WASM, then its gradients equal the cpu backend', async () => {
  const ours = layerGradients();
  await tf.setBackend('cpu');
  const reference = layerGradients();
  await tf.setBackend('wasm');
  ours.forEach((gradient, i) => {
    const expected = reference[i]!;
    expect(gradient).toHaveLength(expected.length);
    expect(Math.max(...gradient.map((value, k) => Math.abs(value - expected[k]!)))).toBeLessThan(1e-4);
  });
});
