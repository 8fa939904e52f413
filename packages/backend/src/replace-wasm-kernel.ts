import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers `kernelFunc` for `kernelName` on the WASM backend in place of the stock kernel, which it
 * receives to defer to. The stock `setupFunc` (it binds the WASM function the stock kernel calls) is
 * kept, so the fallback still works if the backend is initialised again. Does nothing when WASM has
 * no such kernel.
 *
 * @example
 * replaceWasmKernel(tf.Identity, (args, stock) => stock.kernelFunc(args)); // same behaviour, now ours
 */
export function replaceWasmKernel(
  kernelName: string,
  kernelFunc: (args: Parameters<tf.KernelFunc>[0], stock: tf.KernelConfig) => tf.TensorInfo | tf.TensorInfo[],
): void {
  const stock = tf.getKernel(kernelName, 'wasm');
  if (stock === undefined) return;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: (args) => kernelFunc(args, stock) });
}
