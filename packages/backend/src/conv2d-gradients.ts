import * as tf from '@tensorflow/tfjs-core';

/**
 * Conv2D gradients written as forward convolutions.
 *
 * The WASM backend has no `Conv2DBackpropFilter` kernel, and its `Conv2DBackpropInput` kernel is a
 * plain loop. Both gradients can be computed by the backend's fast forward convolution over
 * rearranged tensors (see shared/PERFORMANCE.md), which is what this file does. Shapes are NHWC,
 * filters are [kh, kw, inChannels, outChannels].
 */

type Pad = 'valid' | 'same' | number | 'explicit' | number[][];

/** Explicit [top, bottom, left, right] zero padding for stride 1, or null when unsupported here. */
function paddingFor(pad: Pad, kh: number, kw: number): [number, number, number, number] | null {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (pad === 'same') {
    const ph = kh - 1;
    const pw = kw - 1;
    return [Math.floor(ph / 2), ph - Math.floor(ph / 2), Math.floor(pw / 2), pw - Math.floor(pw / 2)];
  }
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  return null;
}

function isUnitStride(strides: number | [number, number], dilations: number | [number, number]): boolean {
  const s = typeof strides === 'number' ? [strides, strides] : strides;
  const d = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  return s[0] === 1 && s[1] === 1 && d[0] === 1 && d[1] === 1;
}

/**
 * dL/dW of a stride-1 NHWC convolution: dW[kh,kw,ci,co] = sum over b,h,w of x[b,h+kh,w+kw,ci] * dy[b,h,w,co],
 * computed as a forward convolution of x with batch and channels swapped ([Ci,H,W,B]) by dy
 * rearranged to [Ho,Wo,B,Co].
 *
 * @example
 * const dw = conv2dFilterGradient(x, dy, [5, 5, 1, 6], 'valid'); // shape [5, 5, 1, 6]
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  pad: Pad,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [top, bottom, left, right] = paddingFor(pad, kh, kw) ?? [0, 0, 0, 0];
    const padded =
      top + bottom + left + right === 0
        ? x
        : tf.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ]);
    const xT = tf.transpose(padded, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const dwT = tf.conv2d(xT as tf.Tensor4D, dyT as tf.Tensor4D, 1, 'valid');
    return tf.transpose(dwT, [1, 2, 0, 3]);
  });
}

/**
 * dL/dx of a stride-1 NHWC convolution: a forward convolution of dy, zero-padded by k-1 (less the
 * forward padding) on each side, with the filter flipped in both spatial axes and its channel axes swapped.
 *
 * @example
 * const dx = conv2dInputGradient(dy, filter, [64, 14, 14, 6], 'valid'); // shape [64, 14, 14, 6]
 */
export function conv2dInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, pad: Pad): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filter.shape;
    const [top, bottom, left, right] = paddingFor(pad, kh, kw) ?? [0, 0, 0, 0];
    const padded = tf.pad(dy, [
      [0, 0],
      [kh - 1 - top, kh - 1 - bottom],
      [kw - 1 - left, kw - 1 - right],
      [0, 0],
    ]);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(padded as tf.Tensor4D, flipped as tf.Tensor4D, 1, 'valid');
  });
}

let registered = false;

/**
 * Replaces TensorFlow.js's Conv2D gradient with {@link conv2dFilterGradient} and
 * {@link conv2dInputGradient} for stride-1 NHWC convolutions, falling back to the stock kernels for
 * anything else. Needed on the WASM backend (no `Conv2DBackpropFilter` kernel) and faster there.
 * The registry is global: call it only after choosing a backend that needs it. Idempotent.
 *
 * @example
 * await tf.setBackend('wasm');
 * registerForwardConvGradients();
 * tf.grad((w) => tf.conv2d(x, w, 1, 'valid').sum())(w); // works on wasm now
 */
export function registerForwardConvGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const grad = dy as tf.Tensor4D;
      const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
      const padding = pad as Pad;
      const fast =
        dataFormat === 'NHWC' &&
        isUnitStride(strides, dilations) &&
        paddingFor(padding, filter.shape[0], filter.shape[1]) !== null;
      if (!fast) {
        return {
          x: () =>
            tf.conv2dTranspose(grad, filter, x.shape, strides, padding as 'valid' | 'same' | number, dimRoundingMode),
          filter: () => {
            throw new Error(
              `Conv2D filter gradient: only stride 1, dilation 1, NHWC and valid/same/numeric padding are supported, found strides ${String(strides)}, dilations ${String(dilations)}, ${dataFormat}, pad ${JSON.stringify(pad)}`,
            );
          },
        };
      }
      return {
        x: () => conv2dInputGradient(grad, filter, padding),
        filter: () => conv2dFilterGradient(x, grad, filter.shape, padding),
      };
    },
  });
}
