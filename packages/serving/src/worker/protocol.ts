/**
 * Messages between the main thread and an inference worker. Plain data only: they cross the
 * thread boundary by structured clone (image bytes too; see {@link WorkItem}).
 */
import type { DecoderRequest } from '@lenet/image';
import type { ImageFailureCode } from '../errors';

/** What a worker needs to start, passed as `workerData`. */
export interface WorkerSettings {
  model: string;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  maxPixels: number;
  /** Largest batch the worker will see, to warm it up at that size. */
  maxBatch: number;
  /** Image decoder asked for (`--decoder`). */
  decoder: DecoderRequest;
}

/** `workerData` of one worker: the settings plus its own progress cell (see `decode-budget.ts`). */
export interface WorkerData extends WorkerSettings {
  progress: Int32Array;
}

/**
 * One uploaded file. Its bytes are copied to the worker, not transferred: the main thread keeps them
 * to send the image again if its worker is replaced for another image's sake.
 */
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
  error: { code: ImageFailureCode; message: string };
}

export type ItemResult = ItemSuccess | ItemFailure;

/** Worker to main thread. */
export type WorkerMessage =
  | {
      type: 'ready';
      backend: string;
      /** `image decoder: ...` line. */
      decoder: string;
      epoch: number | null;
      /** Test accuracy recorded in the checkpoint, 0-1, when it has one. */
      testAccuracy: number | null;
      /** The checkpoint's ten class names, when it carries them. */
      classNames: string[] | null;
      weightsHash: string;
      numTensors: number;
    }
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
