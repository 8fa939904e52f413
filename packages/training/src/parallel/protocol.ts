/**
 * Messages and shared memory between the parallel trainer (main thread) and its gradient workers.
 * Weights, gradients and batches live in SharedArrayBuffers; messages carry only offsets and figures.
 */

/** `workerData` of a gradient worker. */
export interface GradientWorkerData {
  /** Backend name to select in the worker (the main thread's). */
  backend: string;
  /** Float32, every trainable weight of the model in `trainableWeights` order; written by the main thread. */
  weights: SharedArrayBuffer;
  /** Float32, same layout: this worker's gradient of its slice's mean loss. */
  gradients: SharedArrayBuffer;
  /** Float32 model inputs of the current batch (largest batch * 1024). */
  inputs: SharedArrayBuffer;
  /** Int32 labels of the current batch. */
  labels: SharedArrayBuffer;
  /** Float32 model inputs of the evaluation set, copied once; null when there is none. */
  testInputs: SharedArrayBuffer | null;
  /** Uint8 labels of the evaluation set. */
  testLabels: SharedArrayBuffer | null;
  /** Int32 predicted class per evaluation example, written by the workers. */
  predictions: SharedArrayBuffer | null;
}

/** Work for one worker: a slice `[start, start + size)` of the batch or of the evaluation set. */
export interface WorkRequest {
  type: 'step' | 'evaluate';
  /** Version of the shared weights to use; the worker reloads them when it holds an older one. */
  version: number;
  start: number;
  size: number;
}

/** What a gradient worker posts back. */
export type WorkerReply =
  | { type: 'ready'; parameterCount: number }
  | { type: 'stepped'; size: number; loss: number; correct: number; busyMs: number; numTensors: number }
  | { type: 'evaluated'; lossSum: number; busyMs: number; numTensors: number }
  | { type: 'failed'; message: string };
