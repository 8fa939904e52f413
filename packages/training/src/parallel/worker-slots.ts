import { Worker } from 'node:worker_threads';
import { TrainingWorkerError } from '../errors';
import type { GradientWorkerData, WorkerReply, WorkRequest } from './protocol';

/** A finished piece of work. */
export type WorkDone = Exclude<WorkerReply, { type: 'ready' | 'failed' }>;

interface Slot {
  worker: Worker;
  pending: { resolve: (reply: WorkDone) => void; reject: (error: Error) => void } | null;
  busyMs: number;
  /** Live tensors in the worker after its last reply. */
  numTensors: number;
}

/**
 * Sizes of `count` split into `parts` contiguous slices, the first ones one larger when it does not divide.
 *
 * @example
 * sliceSizes(65, 2); // [33, 32]
 */
export function sliceSizes(count: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(count / parts) + (i < count % parts ? 1 : 0));
}

/**
 * Contiguous slices `{ start, size }` covering `count` items in `parts` pieces (see {@link sliceSizes}).
 *
 * @example
 * slicesOf(65, 2); // [{ start: 0, size: 33 }, { start: 33, size: 32 }]
 */
export function slicesOf(count: number, parts: number): Array<{ start: number; size: number }> {
  let start = 0;
  return sliceSizes(count, parts).map((size) => {
    const slice = { start, size };
    start += size;
    return slice;
  });
}

/**
 * Gradient worker threads, one request in flight each. A worker that reports a failure, throws or exits
 * fails the request in flight and every later one with a {@link TrainingWorkerError}.
 */
export class WorkerSlots {
  private readonly slots: Slot[] = [];
  private failure: TrainingWorkerError | null = null;
  private closing = false;

  private constructor(private readonly count: number) {}

  /** Starts `dataFor.length` workers and waits until each has built its replica. */
  static async start(script: string, dataFor: GradientWorkerData[], parameterCount: number): Promise<WorkerSlots> {
    const slots = new WorkerSlots(dataFor.length);
    const ready = dataFor.map((workerData, index) => slots.spawn(script, workerData, index, parameterCount));
    try {
      await Promise.all(ready);
    } catch (error) {
      await slots.close();
      throw error;
    }
    return slots;
  }

  private spawn(script: string, workerData: GradientWorkerData, index: number, parameterCount: number) {
    const worker = new Worker(script, { workerData });
    const slot: Slot = { worker, pending: null, busyMs: 0, numTensors: 0 };
    this.slots.push(slot);
    const ready = new Promise<void>((resolve, reject) => {
      slot.pending = { resolve: () => resolve(), reject };
    });
    worker.on('message', (message: WorkerReply) => {
      if (message.type === 'failed') return this.fail(index, `failed: ${message.message}`);
      if (message.type === 'ready' && message.parameterCount !== parameterCount) {
        return this.fail(index, `holds ${message.parameterCount} weights, expected ${parameterCount}`);
      }
      if (message.type !== 'ready') {
        slot.busyMs += message.busyMs;
        slot.numTensors = message.numTensors;
      }
      const pending = slot.pending;
      slot.pending = null;
      pending?.resolve(message as WorkDone);
    });
    worker.on('error', (error) => this.fail(index, `threw: ${error.message}`, error));
    worker.on('exit', (code) => this.fail(index, `exited with code ${code}`));
    return ready;
  }

  private fail(index: number, reason: string, cause?: unknown): void {
    if (this.closing) return;
    this.failure ??= new TrainingWorkerError(
      `training worker thread ${index + 1} of ${this.count} ${reason}; the step in flight was not applied and the last checkpoint is unchanged`,
      { cause },
    );
    for (const slot of this.slots) {
      slot.pending?.reject(this.failure);
      slot.pending = null;
    }
  }

  /** Sends worker i the slice `slices[i]`; resolves with the replies in worker order (null for an empty slice). */
  dispatch(
    type: WorkRequest['type'],
    version: number,
    slices: Array<{ start: number; size: number }>,
  ): Promise<Array<WorkDone | null>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return Promise.all(
      this.slots.map((slot, i) => {
        const { start, size } = slices[i] ?? { start: 0, size: 0 };
        if (size === 0) return Promise.resolve(null);
        const request: WorkRequest = { type, version, start, size };
        return new Promise<WorkDone>((resolve, reject) => {
          slot.pending = { resolve, reject };
          slot.worker.postMessage(request);
        });
      }),
    );
  }

  /** Milliseconds each worker spent working since the previous call. */
  takeBusyMs(): number[] {
    return this.slots.map((slot) => {
      const busy = slot.busyMs;
      slot.busyMs = 0;
      return busy;
    });
  }

  /** Live tensors in each worker after its last reply. */
  tensorCounts(): number[] {
    return this.slots.map((slot) => slot.numTensors);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
