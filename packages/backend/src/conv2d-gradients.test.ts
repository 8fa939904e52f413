import * as tf from '@tensorflow/tfjs-core';
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d-gradients';
import { selectBackend } from './select-backend';

/** Max absolute difference between two equally long arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i += 1) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Reference gradients from the cpu backend's stock Conv2DBackpropFilter/Input kernels. */
function stockGradients(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, pad: 'valid' | 'same') {
  const [dx, dw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, pad), dy)),
  )([x, w]);
  return { dx: dx!.dataSync().slice(), dw: dw!.dataSync().slice() };
}

type Shape4 = [number, number, number, number];
const cases: Array<{ label: string; x: Shape4; w: Shape4; pad: 'valid' | 'same' }> = [
  { label: 'conv1 of LeNet (32x32x1 -> 6@5x5, valid)', x: [4, 32, 32, 1], w: [5, 5, 1, 6], pad: 'valid' },
  { label: 'conv2 of LeNet (14x14x6 -> 16@5x5, valid)', x: [3, 14, 14, 6], w: [5, 5, 6, 16], pad: 'valid' },
  { label: 'a same-padded 3x3 convolution', x: [2, 9, 7, 3], w: [3, 3, 3, 4], pad: 'same' },
];

describe('forward-convolution Conv2D gradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of cases) {
    test(`when computing ${c.label} on cpu, then both gradients match the stock kernels`, () => {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal(c.w, 0, 1, 'float32', 2) as tf.Tensor4D;
      const y = tf.conv2d(x, w, 1, c.pad) as tf.Tensor4D;
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
      const reference = stockGradients(x, w, dy, c.pad);
      const dw = conv2dFilterGradient(x, dy, c.w, c.pad);
      const dx = conv2dInputGradient(dy, w, c.pad);
      expect(dw.shape).toEqual(w.shape);
      expect(dx.shape).toEqual(x.shape);
      expect(maxDiff(dw.dataSync(), reference.dw)).toBeLessThan(1e-3);
      expect(maxDiff(dx.dataSync(), reference.dx)).toBeLessThan(1e-4);
    });
  }

  test('when training on wasm, then tf.grad of a convolution works and agrees with the cpu backend', async () => {
    await tf.setBackend('cpu');
    const xValues = tf.randomNormal([2, 14, 14, 6], 0, 1, 'float32', 4).dataSync().slice();
    const wValues = tf.randomNormal([5, 5, 6, 16], 0, 1, 'float32', 5).dataSync().slice();
    const loss = (xi: tf.Tensor, wi: tf.Tensor) =>
      tf.sum(tf.square(tf.relu(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'valid'))));
    const cpu = tf
      .grads(loss)([tf.tensor4d(xValues, [2, 14, 14, 6]), tf.tensor4d(wValues, [5, 5, 6, 16])])
      .map((g) => g.dataSync().slice());

    const choice = await selectBackend('wasm');
    expect(choice.name).toBe('wasm');
    const wasm = tf
      .grads(loss)([tf.tensor4d(xValues, [2, 14, 14, 6]), tf.tensor4d(wValues, [5, 5, 6, 16])])
      .map((g) => g.dataSync().slice());
    // Relative to the gradients' size (they reach ~1e3 here); float32 sums in a different order.
    const scale = Math.max(...Array.from(cpu[1]!, Math.abs));
    expect(maxDiff(wasm[0]!, cpu[0]!) / scale).toBeLessThan(1e-5);
    expect(maxDiff(wasm[1]!, cpu[1]!) / scale).toBeLessThan(1e-5);
  });
});
