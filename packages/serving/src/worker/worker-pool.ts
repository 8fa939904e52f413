import * as path from 'node:path';
import { StartupError, WorkerError } from '../errors';
import type { BatchWorkers, ItemOutcome } from './batch-workers';
import { type DecodeBudgetCode, type DecodingItem, decodingFor, readDecoding } from './decode-budget';
import type { BatchStats, WorkerPoolOptions } from './pool-options';
import type { BatchRequest, WorkerMessage, WorkItem } from './protocol';
import { answerRecycled, type DecodeBudget, itemAt, releaseQueued } from './slot-release';
import { type ModelIdentity, type Slot, spawnSlot } from './worker-slot';

export type { BatchStats, WorkerPoolOptions } from './pool-options';
export type { ModelIdentity, PoolSlot } from './worker-slot';

/**
 * The compiled worker script, also under ts-jest (src/worker/ -> dist/worker/): worker_threads cannot
 * load .ts, and `tsc -b` runs before jest (the root `npm test` and CI do both).
 */
export const WORKER_SCRIPT = path.resolve(__dirname, '..', '..', 'dist', 'worker', 'inference-worker.js');

/**
 * Worker threads that each load the checkpoint on their own backend. A worker that crashes or hangs
 * has its batches failed with {@link WorkerError} (503 for the client, never a hang) and is replaced.
 * A worker past an image's decode deadline or its memory ceiling is replaced too: that image gets
 * `IMAGE_DECODE_TIMEOUT` or `IMAGE_TOO_COMPLEX`, and its other images come back unfinished
 * (`undefined`) for the batcher to send again.
 *
 * @example
 * const pool = new WorkerPool({ size: 2, settings: { model: 'output/checkpoint', backend: 'auto', decoder: 'auto', maxPixels: 24e6, maxBatch: 32 } });
 * await pool.start(); // { epoch: 30, testAccuracy: 0.9865, weightsHash: '3f2a9c0d1b7e', backend: 'backend: wasm (...)', decoder: '...' }
 * const results = await pool.run(pool.leastLoaded()!, [{ bytes, name: 'digit.png' }]);
 */
export class WorkerPool implements BatchWorkers<Slot> {
  private readonly slots: Slot[] = [];
  private readonly capacityListeners: Array<() => void> = [];
  private readonly batchListeners: Array<(stats: BatchStats) => void> = [];
  private nextWorkerId = 1;
  private nextBatchId = 1;
  private closing = false;
  private restartDelayMs = 500;
  private identity: ModelIdentity | null = null;
  private restarted = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly slowAfterMs: number;
  private readonly budget: DecodeBudget;

  constructor(private readonly options: WorkerPoolOptions) {
    this.budget = { decodeTimeoutMs: options.decodeTimeoutMs ?? 2000, memoryMb: options.memoryMb };
    // Most images decode in milliseconds; one still decoding after a tenth of the deadline is suspect.
    this.slowAfterMs = Math.min(200, this.budget.decodeTimeoutMs / 10);
  }

  /** Starts every worker; resolves once all loaded the model and warmed up, rejects on the first failure. */
  async start(): Promise<ModelIdentity> {
    const starting = Array.from({ length: this.options.size }, () => this.spawn());
    try {
      const [first, ...others] = await Promise.all(starting);
      if (first === undefined) throw new RangeError(`WorkerPool: expected size >= 1, found ${this.options.size}`);
      const other = others.find((id) => id.weightsHash !== first.weightsHash);
      if (other !== undefined) {
        throw new StartupError(
          'CHECKPOINT_CHANGED',
          `${this.options.settings.model}: expected every worker to load the same weights, found ${first.weightsHash} and ${other.weightsHash} (was the checkpoint rewritten during start-up?)`,
        );
      }
      this.identity = first;
      // Looks at each busy worker's progress cell at least ten times per deadline: verdicts come at most 10% late.
      const every = Math.min(100, Math.max(10, Math.floor(this.budget.decodeTimeoutMs / 10)));
      this.watchdog = setInterval(() => this.watch(), every);
      this.watchdog.unref();
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

  /** Workers loading the model (replacements), not ready yet. */
  get startingCount(): number {
    return this.slots.reduce((n, slot) => n + (!slot.started && !slot.stopping ? 1 : 0), 0);
  }

  /** Ready workers with nothing to do. */
  get idleCount(): number {
    return this.slots.reduce((n, slot) => n + (slot.ready && slot.inFlight === 0 ? 1 : 0), 0);
  }

  /** Workers started to replace ones that crashed, hung or ran over a budget. */
  get restartCount(): number {
    return this.restarted;
  }

  /** Every worker, ready or starting, for metrics. */
  get workers(): readonly Slot[] {
    return this.slots;
  }

  /** Calls `listener` whenever capacity may have changed: a worker became ready, finished a batch or died. */
  onCapacityChange(listener: () => void): void {
    this.capacityListeners.push(listener);
  }

  /** Calls `listener` with the figures of every finished batch. */
  onBatchDone(listener: (stats: BatchStats) => void): void {
    this.batchListeners.push(listener);
  }

  /**
   * The ready worker with the fewest batches in flight, or undefined when none is ready. A worker that
   * has been on one image for a while gets nothing more while another can take it: whatever it holds
   * waits for the decode deadline.
   */
  leastLoaded(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (!slot.ready) continue;
      const rank = (s: Slot) => s.inFlight + (s.slow ? 1000 : 0);
      if (best === undefined || rank(slot) < rank(best)) best = slot;
    }
    return best;
  }

  /** Sends one batch to one worker (the bytes are copied; the caller's buffers stay usable). */
  run(slot: Slot, items: WorkItem[]): Promise<ItemOutcome[]> {
    const id = this.nextBatchId++;
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.batchTimeoutMs ?? 60_000;
      const timer = setTimeout(() => this.batchTimedOut(slot, items.length, timeoutMs), timeoutMs);
      timer.unref();
      slot.pending.set(id, { items, resolve, reject, timer });
      slot.inFlight += 1;
      slot.worker.postMessage({ id, items } satisfies BatchRequest);
    });
  }

  private batchTimedOut(slot: Slot, size: number, timeoutMs: number): void {
    this.log('error', `worker ${slot.id}: no answer to a batch of ${size} images within ${timeoutMs} ms; replacing it`);
    const message = `worker ${slot.id} did not answer within ${timeoutMs} ms; retry the request`;
    this.fail(slot, new WorkerError('WORKER_TIMEOUT', message));
    void slot.worker.terminate();
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.onEvent?.(level, message);
  }

  /** Terminates every worker; batches still in flight fail with SHUTTING_DOWN. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
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
    const { slot, started } = spawnSlot({
      id: this.nextWorkerId++,
      script: this.options.script ?? WORKER_SCRIPT,
      settings: this.options.settings,
      memoryMb: this.options.memoryMb,
      onResult: (message) => this.settle(slot, message),
      onReady: () => this.changed(),
      onExit: (reason, outOfMemory) => this.exited(slot, reason, outOfMemory),
    });
    this.slots.push(slot);
    return started;
  }

  private exited(slot: Slot, reason: string, outOfMemory: boolean): void {
    this.remove(slot);
    const decoding = outOfMemory ? readDecoding(slot.progress) : null;
    if (slot.verdict === undefined && decoding !== null) slot.verdict = { ...decoding, code: 'IMAGE_TOO_COMPLEX' };
    if (slot.verdict !== undefined) answerRecycled(slot, slot.verdict, this.budget);
    else
      this.fail(
        slot,
        new WorkerError('WORKER_CRASHED', `worker ${slot.id} ${reason} while classifying; retry the request`),
      );
    if (!slot.stopping && !this.closing) {
      if (slot.verdict === undefined) this.log('error', `worker ${slot.id} ${reason}; starting a replacement`);
      this.replace();
    }
    this.changed();
  }

  private remove(slot: Slot): void {
    if (this.slots.includes(slot)) this.slots.splice(this.slots.indexOf(slot), 1);
  }

  /** Replaces a worker stuck on one image past the deadline; marks one on an image for long as slow. */
  private watch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.inFlight === 0) {
        slot.slow = false;
        continue;
      }
      const decodingMs = decodingFor(slot.progress);
      const decoding = decodingMs > this.slowAfterMs ? readDecoding(slot.progress) : null;
      if (decoding !== null && decodingMs > this.budget.decodeTimeoutMs)
        this.recycle(slot, decoding, 'IMAGE_DECODE_TIMEOUT');
      else if (decoding !== null && !slot.slow) {
        slot.slow = true;
        const elsewhere = this.slots.some((s) => s !== slot && s.ready && !s.slow); // else keep the order
        if (elsewhere && releaseQueued(slot, decoding) > 0) this.changed();
      } else if (decoding === null) slot.slow = false;
    }
  }

  /**
   * Answers and replaces a worker at once, without waiting for its thread to end: a native decoder
   * (libvips) can hold a terminated thread's exit until its own work finishes.
   */
  private recycle(slot: Slot, decoding: DecodingItem, code: DecodeBudgetCode): void {
    const name = itemAt(slot, decoding)?.name ?? 'an image';
    this.log(
      'warn',
      `worker ${slot.id}: ${name} still decoding after ${this.budget.decodeTimeoutMs} ms; replacing the worker`,
    );
    slot.verdict = { ...decoding, code };
    slot.ready = false;
    slot.stopping = true;
    answerRecycled(slot, slot.verdict, this.budget);
    this.remove(slot);
    void slot.worker.terminate();
    if (!this.closing) this.replace();
    this.changed();
  }

  private replace(): void {
    this.restarted += 1;
    this.spawn().then(
      (identity) => {
        this.restartDelayMs = 500;
        if (this.identity !== null && identity.weightsHash !== this.identity.weightsHash) {
          this.log(
            'warn',
            `replacement worker loaded weights ${identity.weightsHash}, expected ${this.identity.weightsHash}: the checkpoint changed on disk`,
          );
        }
        this.log('info', 'replacement worker ready');
      },
      (error: Error) => {
        if (this.closing) return;
        this.log(
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
    slot.slow = false;
    slot.numTensors = message.numTensors;
    const stats: BatchStats = {
      workerId: slot.id,
      size: batch.items.length,
      preprocessSeconds: message.preprocessSeconds,
      inferenceSeconds: message.inferenceSeconds,
      numTensors: message.numTensors,
    };
    for (const listener of this.batchListeners) listener(stats);
    batch.resolve(message.results);
    this.changed();
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

  private changed(): void {
    for (const listener of this.capacityListeners) listener();
  }
}
