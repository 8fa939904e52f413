/**
 * Messages between the main thread and an inference worker. Plain data only: they cross the
 * thread boundary by structured clone, and image bytes are transferred, not copied.
 */

/** What a worker needs to start, passed as `workerData`. */
export interface WorkerSettings {
  model: string;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  maxPixels: number;
  /** Largest batch the worker will see, to warm it up at that size. */
  maxBatch: number;
}

/** One uploaded file, its bytes moved (transferred) to the worker. */
export interface WorkItem {
  bytes: ArrayBuffer;
  name: string;
}

/** Main thread to worker: classify these images as one batch. */
export interface BatchRequest {
  id: number;
  items: WorkItem[];
}

/** A classified image. */
export interface ItemSuccess {
  ok: true;
  /** Ten softmax probabilities. */
  probabilities: Float32Array;
  format: string;
  width: number;
  height: number;
}

/** An image the worker could not use; the rest of the batch is unaffected. */
export interface ItemFailure {
  ok: false;
  error: { code: string; message: string };
}

export type ItemResult = ItemSuccess | ItemFailure;

/** Worker to main thread. */
export type WorkerMessage =
  | { type: 'ready'; backend: string; epoch: number | null; weightsHash: string; numTensors: number }
  | { type: 'failed'; error: { code: string; message: string } }
  | {
      type: 'result';
      id: number;
      results: ItemResult[];
      /** Seconds spent decoding and preprocessing each image, and in the one model call. */
      preprocessSeconds: number[];
      inferenceSeconds: number;
      numTensors: number;
    };
