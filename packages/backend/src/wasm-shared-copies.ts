import * as tf from '@tensorflow/tfjs-core';
import { replaceWasmKernel } from './replace-wasm-kernel';

/**
 * Identity, and Cast to the dtype a tensor already has, for the WASM backend, sharing the input's
 * memory instead of copying it.
 *
 * Tensors are never written in place, so the cpu backend implements both by counting one more
 * reference to the same data, and the WASM backend's own Reshape does the same. The stock WASM
 * Identity and Cast copy the whole tensor. Training pays for that twice per layer: the tape clones
 * every tensor it saves for the backward pass (Identity), and ReLU's gradient casts its float32 mask
 * to float32 (Cast). Strings and real dtype changes go to the stock kernels.
 */

/** The part of BackendWasm these kernels use (its class is not exported as a type). */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

function shareData(args: Parameters<tf.KernelFunc>[0], dtype: tf.DataType): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype };
}

let registered = false;

/**
 * Replaces the WASM backend's Identity and Cast kernels with ones that share memory where the result
 * would be an exact copy, and defer to the stock kernels otherwise. Call after the WASM backend is
 * initialised. Idempotent.
 *
 * @example
 * await tf.setBackend('wasm');
 * registerWasmSharedCopies();
 * tf.clone(x); // the same data, one more reference
 */
export function registerWasmSharedCopies(): void {
  if (registered || tf.getKernel(tf.Identity, 'wasm') === undefined) return;
  registered = true;
  replaceWasmKernel(tf.Identity, (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return x.dtype === 'string' ? stock.kernelFunc(args) : shareData(args, x.dtype);
  });
  replaceWasmKernel(tf.Cast, (args, stock) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    return x.dtype === dtype && dtype !== 'string' ? shareData(args, dtype) : stock.kernelFunc(args);
  });
}
