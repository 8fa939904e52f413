import * as tf from '@tensorflow/tfjs-core';
import { registerTransposeFreeMatMulGradient } from './matmul-gradient';

function gradients(transposeA: boolean, transposeB: boolean, aShape: number[], bShape: number[]) {
  const a = tf.randomNormal(aShape, 0, 1, 'float32', 11);
  const b = tf.randomNormal(bShape, 0, 1, 'float32', 12);
  const weights = tf.randomNormal(tf.matMul(a, b, transposeA, transposeB).shape, 0, 1, 'float32', 13);
  return tf
    .grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), weights)))([a, b])
    .map((g) => Array.from(g.dataSync()));
}

const cases: Array<[boolean, boolean, number[], number[]]> = [
  [false, false, [5, 7], [7, 3]],
  [false, true, [5, 7], [3, 7]],
  [true, false, [7, 5], [7, 3]],
  [true, true, [7, 5], [3, 7]],
  [false, false, [2, 5, 7], [2, 7, 3]],
];

test('when the transpose-free gradient replaces the stock one, then every transpose combination gives the same gradients', async () => {
  await tf.setBackend('cpu');
  const stock = cases.map(([ta, tb, sa, sb]) => gradients(ta, tb, sa, sb));
  registerTransposeFreeMatMulGradient();
  cases.forEach(([ta, tb, sa, sb], i) => {
    const ours = gradients(ta, tb, sa, sb);
    for (const [k, grad] of ours.entries()) {
      const reference = stock[i]![k]!;
      expect(grad).toHaveLength(reference.length);
      grad.forEach((value, j) => expect(value).toBeCloseTo(reference[j]!, 4));
    }
  });
});
