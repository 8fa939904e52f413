import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { StartupError, WorkerError } from '../errors';
import type { BatchRequest, ItemResult, WorkerMessage, WorkerSettings, WorkItem } from './protocol';

/**
 * The compiled worker script. Always the JavaScript in dist/, also when this file runs as
 * TypeScript under ts-jest (src/worker/ -> dist/worker/): worker_threads cannot load .ts, and
 * `tsc -b` runs before jest (the root `npm test` and CI do both), so dist is there and current.
 */
export const WORKER_SCRIPT = path.resolve(__dirname, '..', '..', 'dist', 'worker', 'inference-worker.js');

/** What the workers loaded, as they report it when ready. */
export interface ModelIdentity {
  epoch: number | null;
  weightsHash: string;
  /** `describeBackend` line of the first worker. */
  backend: string;
}

/** Figures from one finished batch, for metrics. */
export interface BatchStats {
  workerId: number;
  size: number;
  preprocessSeconds: number[];
  inferenceSeconds: number;
  numTensors: number;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  settings: WorkerSettings;
  /** A batch not answered within this time fails with 503 and its worker is replaced. */
  batchTimeoutMs?: number;
  script?: string;
  /** Called when capacity may have changed: a worker became ready, finished a batch or died. */
  onChange?: () => void;
  onBatch?: (stats: BatchStats) => void;
  /** Called with a line worth logging (crash, replacement). */
  onEvent?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

interface PendingBatch {
  size: number;
  resolve: (results: ItemResult[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One worker thread and the batches it has been sent. */
export interface PoolSlot {
  readonly id: number;
  ready: boolean;
  /** Batches sent and not yet answered. */
  inFlight: number;
  numTensors: number;
}

interface Slot extends PoolSlot {
  worker: Worker;
  pending: Map<number, PendingBatch>;
  stopping: boolean;
}

/**
 * Worker threads that each load the checkpoint on their own backend. A worker that crashes or hangs
 * has its batches failed with {@link WorkerError} (503 for the client, never a hang) and is replaced.
 *
 * @example
 * const pool = new WorkerPool({ size: 2, settings: { model: 'output/checkpoint', backend: 'auto', maxPixels: 24e6, maxBatch: 32 } });
 * await pool.start(); // { epoch: 30, weightsHash: '3f2a9c0d1b7e', backend: 'backend: wasm (...)' }
 * const results = await pool.run(pool.leastLoaded()!, [{ bytes, name: 'digit.png' }]);
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextWorkerId = 1;
  private nextBatchId = 1;
  private closing = false;
  private restartDelayMs = 500;
  private identity: ModelIdentity | null = null;
  private restarted = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts every worker; resolves once all loaded the model and warmed up, rejects on the first failure. */
  async start(): Promise<ModelIdentity> {
    const starting = Array.from({ length: this.options.size }, () => this.spawn());
    try {
      const identities = await Promise.all(starting);
      const first = identities[0]!;
      const other = identities.find((id) => id.weightsHash !== first.weightsHash);
      if (other !== undefined) {
        throw new StartupError(
          'CHECKPOINT_CHANGED',
          `${this.options.settings.model}: expected every worker to load the same weights, found ${first.weightsHash} and ${other.weightsHash} (was the checkpoint rewritten during start-up?)`,
        );
      }
      this.identity = first;
      return first;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Workers ready to take batches. */
  get readyCount(): number {
    return this.slots.reduce((n, slot) => n + (slot.ready ? 1 : 0), 0);
  }

  /** Ready workers with nothing to do. */
  get idleCount(): number {
    return this.slots.reduce((n, slot) => n + (slot.ready && slot.inFlight === 0 ? 1 : 0), 0);
  }

  /** Workers started to replace ones that crashed or hung. */
  get restartCount(): number {
    return this.restarted;
  }

  /** Every worker, ready or starting, for metrics. */
  get workers(): readonly PoolSlot[] {
    return this.slots;
  }

  /** The ready worker with the fewest batches in flight, or undefined when none is ready. */
  leastLoaded(): PoolSlot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.ready && (best === undefined || slot.inFlight < best.inFlight)) best = slot;
    }
    return best;
  }

  /** Sends one batch to one worker; the bytes are transferred (the buffers are unusable afterwards). */
  run(target: PoolSlot, items: WorkItem[]): Promise<ItemResult[]> {
    const slot = target as Slot;
    const id = this.nextBatchId++;
    return new Promise<ItemResult[]>((resolve, reject) => {
      const timeoutMs = this.options.batchTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        this.options.onEvent?.(
          'error',
          `worker ${slot.id}: no answer to a batch of ${items.length} images within ${timeoutMs} ms; replacing it`,
        );
        this.fail(
          slot,
          new WorkerError(
            'WORKER_TIMEOUT',
            `worker ${slot.id} did not answer within ${timeoutMs} ms; retry the request`,
          ),
        );
        void slot.worker.terminate();
      }, timeoutMs);
      timer.unref();
      slot.pending.set(id, { size: items.length, resolve, reject, timer });
      slot.inFlight += 1;
      const request: BatchRequest = { id, items };
      slot.worker.postMessage(
        request,
        items.map((item) => item.bytes),
      );
    });
  }

  /** Terminates every worker; batches still in flight fail with SHUTTING_DOWN. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map((slot) => {
        slot.stopping = true;
        this.fail(
          slot,
          new WorkerError('SHUTTING_DOWN', 'the server is shutting down; retry against another instance'),
        );
        return slot.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  private spawn(): Promise<ModelIdentity> {
    const id = this.nextWorkerId++;
    // One thread per model; TensorFlow.js and jimp allocate outside the JS heap, so no heap limit here.
    const worker = new Worker(this.options.script ?? WORKER_SCRIPT, {
      workerData: this.options.settings,
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { id, worker, ready: false, inFlight: 0, numTensors: 0, pending: new Map(), stopping: false };
    this.slots.push(slot);
    return new Promise<ModelIdentity>((resolve, reject) => {
      let lastError: Error | undefined;
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            slot.ready = true;
            slot.numTensors = message.numTensors;
            resolve({ epoch: message.epoch, weightsHash: message.weightsHash, backend: message.backend });
            this.options.onChange?.();
            break;
          case 'failed':
            reject(new StartupError(message.error.code, message.error.message));
            slot.stopping = true;
            void worker.terminate();
            break;
          case 'result':
            this.settle(slot, message);
            break;
        }
      });
      worker.on('error', (error) => {
        lastError = error;
      });
      worker.on('exit', (code) => {
        this.remove(slot);
        const reason = lastError === undefined ? `exited with code ${code}` : `crashed: ${lastError.message}`;
        if (!slot.ready)
          reject(
            new StartupError('WORKER_START_FAILED', `worker ${id} ${reason} before loading the model`, {
              cause: lastError,
            }),
          );
        this.fail(
          slot,
          new WorkerError('WORKER_CRASHED', `worker ${id} ${reason} while classifying; retry the request`, {
            cause: lastError,
          }),
        );
        if (!slot.stopping && !this.closing) {
          this.options.onEvent?.('error', `worker ${id} ${reason}; starting a replacement`);
          this.replace();
        }
        this.options.onChange?.();
      });
    });
  }

  private replace(): void {
    this.restarted += 1;
    this.spawn().then(
      (identity) => {
        this.restartDelayMs = 500;
        if (this.identity !== null && identity.weightsHash !== this.identity.weightsHash) {
          this.options.onEvent?.(
            'warn',
            `replacement worker loaded weights ${identity.weightsHash}, expected ${this.identity.weightsHash}: the checkpoint changed on disk`,
          );
        }
        this.options.onEvent?.('info', 'replacement worker ready');
      },
      (error: Error) => {
        if (this.closing) return;
        this.options.onEvent?.(
          'error',
          `replacement worker failed to start (${error.message}); trying again in ${this.restartDelayMs} ms`,
        );
        const timer = setTimeout(() => this.closing || this.replace(), this.restartDelayMs);
        timer.unref();
        this.restartDelayMs = Math.min(this.restartDelayMs * 2, 30_000);
      },
    );
  }

  private settle(slot: Slot, message: Extract<WorkerMessage, { type: 'result' }>): void {
    const batch = slot.pending.get(message.id);
    if (batch === undefined) return;
    slot.pending.delete(message.id);
    clearTimeout(batch.timer);
    slot.inFlight -= 1;
    slot.numTensors = message.numTensors;
    this.options.onBatch?.({
      workerId: slot.id,
      size: batch.size,
      preprocessSeconds: message.preprocessSeconds,
      inferenceSeconds: message.inferenceSeconds,
      numTensors: message.numTensors,
    });
    batch.resolve(message.results);
    this.options.onChange?.();
  }

  private fail(slot: Slot, error: Error): void {
    slot.ready = false;
    for (const batch of slot.pending.values()) {
      clearTimeout(batch.timer);
      batch.reject(error);
    }
    slot.pending.clear();
    slot.inFlight = 0;
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }
}
