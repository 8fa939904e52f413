import { OverloadedError, RequestError, WorkerError } from '../errors';
import type { BatcherOptions, BatchWorkers, ItemOutcome, WorkerLoad } from './batch-workers';
import type { ItemResult, WorkItem } from './protocol';

export type { BatcherOptions, BatchWorkers, ItemOutcome, WorkerLoad } from './batch-workers';

interface Waiting {
  item: WorkItem;
  enqueuedAt: number;
  resolve: (result: ItemResult) => void;
  reject: (error: Error) => void;
  /** The client went away before a worker took the image. */
  cancelled: boolean;
  retries: number;
}

const noWorker = () => new WorkerError('NO_WORKER_READY', 'no worker is ready and none is starting; retry the request');

/**
 * Gathers images from concurrent requests into batches for the workers, and owns the queue policy.
 * A lone image goes out at once when a worker is idle; while every worker is busy, images wait until
 * a batch is full (`maxBatch`) or the oldest has waited `maxDelayMs` and a worker can take more. The
 * queue is bounded: past `maxQueue` waiting images, {@link submit} throws {@link OverloadedError}.
 * Images wait while a replacement worker starts, and fail with `NO_WORKER_READY` only when no
 * worker is ready or starting. Images whose worker was replaced because of another image are sent
 * again, ahead of newer ones.
 *
 * @example
 * const batcher = new Batcher(pool, { maxBatch: 32, maxDelayMs: 2, maxQueue: 512 });
 * const [result] = batcher.submit([{ bytes, name: 'digit.png' }]);
 * await result; // { ok: true, probabilities: Float32Array(10), format: 'png', width: 28, height: 28 }
 */
export class Batcher {
  private queue: Waiting[] = [];
  private head = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private cancelled = 0;
  private readonly pipelineDepth: number;
  private readonly maxBatchBytes: number;
  private readonly maxRetries: number;

  constructor(
    private readonly workers: BatchWorkers,
    private readonly options: BatcherOptions,
  ) {
    this.pipelineDepth = options.pipelineDepth ?? 2;
    this.maxBatchBytes = options.maxBatchBytes ?? 32 * 1024;
    this.maxRetries = options.maxRetries ?? 4;
    workers.onCapacityChange(() => this.capacityChanged());
  }

  /** Images waiting for a worker. */
  get queueLength(): number {
    return this.queue.length - this.head - this.cancelled;
  }

  /** Images sent to workers and not answered yet. */
  get inFlightCount(): number {
    return this.inFlight;
  }

  /**
   * Queues images; one promise per image, in order. All or none are queued. When `signal` aborts
   * (the client hung up), images no worker has taken yet are dropped and their promises reject
   * with `CLIENT_CLOSED_REQUEST`, so abandoned uploads cost no decoding.
   *
   * @throws OverloadedError when they do not fit in the queue
   * @throws WorkerError `SHUTTING_DOWN` after {@link close}; `NO_WORKER_READY` when no worker is ready or starting
   */
  submit(items: WorkItem[], signal?: AbortSignal): Array<Promise<ItemResult>> {
    if (this.closed)
      throw new WorkerError('SHUTTING_DOWN', 'the server is shutting down; retry against another instance');
    if (this.workers.readyCount + this.workers.startingCount === 0) throw noWorker();
    if (this.queueLength + items.length > this.options.maxQueue) throw new OverloadedError(this.options.maxQueue, 1);
    const now = performance.now();
    const entries: Waiting[] = [];
    const promises = items.map(
      (item) =>
        new Promise<ItemResult>((resolve, reject) => {
          const entry: Waiting = { item, enqueuedAt: now, resolve, reject, cancelled: false, retries: 0 };
          entries.push(entry);
          this.queue.push(entry);
        }),
    );
    signal?.addEventListener('abort', () => this.cancel(entries), { once: true });
    this.schedule();
    return promises;
  }

  /** Resolves when nothing is waiting or in flight. */
  drained(): Promise<void> {
    if (this.queueLength === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new images; those already queued still run. */
  close(): void {
    this.closed = true;
  }

  private capacityChanged(): void {
    // With no worker left and none coming back, waiting images would wait for nothing.
    if (this.workers.readyCount + this.workers.startingCount === 0) this.failWaiting(noWorker());
    else this.schedule();
  }

  private cancel(entries: Waiting[]): void {
    const waiting = new Set(this.queue.slice(this.head));
    for (const entry of entries) {
      if (entry.cancelled || !waiting.has(entry)) continue;
      entry.cancelled = true;
      this.cancelled += 1;
      entry.reject(
        new RequestError(
          'CLIENT_CLOSED_REQUEST',
          `${entry.item.name}: the client closed the connection before the image was classified`,
        ),
      );
    }
    if (this.queueLength === 0) {
      // Only cancelled images left: let their bytes go now rather than at the next take.
      this.queue = [];
      this.head = 0;
      this.cancelled = 0;
    }
    this.notifyIdle();
  }

  private failWaiting(error: Error): void {
    for (const waiting of this.queue.slice(this.head)) if (!waiting.cancelled) waiting.reject(error);
    this.queue = [];
    this.head = 0;
    this.cancelled = 0;
    this.notifyIdle();
  }

  private schedule(): void {
    // Coalesce: images arriving in the same turn of the event loop travel together.
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queueLength > 0) {
      const worker = this.workers.leastLoaded();
      if (worker === undefined || worker.inFlight >= this.pipelineDepth) return;
      const oldest = this.skipCancelled();
      const waited = performance.now() - oldest.enqueuedAt;
      if (worker.inFlight > 0 && this.queueLength < this.options.maxBatch && waited < this.options.maxDelayMs) {
        this.armTimer(this.options.maxDelayMs - waited);
        return;
      }
      // Decoding is per image and only the model call gains from batching: spread what is queued
      // over the idle workers rather than giving it all to the first (eight 1-megapixel photos
      // on one worker while another idles took twice as long).
      const idle = this.workers.idleCount;
      const share = idle > 1 ? Math.ceil(this.queueLength / idle) : this.queueLength;
      this.send(worker, this.take(Math.min(this.options.maxBatch, share)));
    }
  }

  private armTimer(ms: number): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.dispatch();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  /** Drops cancelled images from the front of the queue; returns the first live one (queueLength > 0). */
  private skipCancelled(): Waiting {
    for (;;) {
      const first = this.queue[this.head];
      if (first === undefined) throw new Error('Batcher: expected a live image in the queue, found none');
      if (!first.cancelled) return first;
      this.head += 1;
      this.cancelled -= 1;
    }
  }

  /** Up to `count` live images from the front, within the byte budget (at least one). */
  private take(count: number): Waiting[] {
    const batch: Waiting[] = [];
    let bytes = 0;
    for (let next = this.queue[this.head]; batch.length < count && next !== undefined; next = this.queue[this.head]) {
      if (next.cancelled) {
        this.cancelled -= 1;
      } else {
        if (batch.length > 0 && bytes + next.item.bytes.byteLength > this.maxBatchBytes) break;
        bytes += next.item.bytes.byteLength;
        batch.push(next);
      }
      this.head += 1;
    }
    // Taken entries hold their upload's bytes (kept to send again): drop them from the array soon.
    if (this.head === this.queue.length || (this.head > 64 && this.head * 2 > this.queue.length)) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private send(worker: WorkerLoad, batch: Waiting[]): void {
    this.inFlight += batch.length;
    this.workers
      .run(
        worker,
        batch.map((waiting) => waiting.item),
      )
      .then(
        (results) => this.settle(batch, results),
        (error: Error) => {
          for (const waiting of batch) waiting.reject(error);
        },
      )
      .finally(() => {
        this.inFlight -= batch.length;
        this.notifyIdle();
      });
  }

  /** Answers each image of a finished batch; images its worker did not finish go back to the front. */
  private settle(batch: Waiting[], results: ItemOutcome[]): void {
    const again: Waiting[] = [];
    batch.forEach((waiting, i) => {
      const result = results[i];
      if (result instanceof Promise) this.settleLater(waiting, result);
      else if (result !== undefined) waiting.resolve(result);
      else if (waiting.retries >= this.maxRetries)
        waiting.reject(
          new WorkerError(
            'WORKER_CRASHED',
            `${waiting.item.name}: its worker was replaced ${waiting.retries + 1} times before finishing it; retry the request`,
          ),
        );
      else {
        waiting.retries += 1;
        again.push(waiting);
      }
    });
    if (again.length === 0) return;
    this.queue.splice(this.head, 0, ...again);
    this.schedule();
  }

  private settleLater(waiting: Waiting, result: Promise<ItemResult>): void {
    this.inFlight += 1;
    result.then(waiting.resolve, waiting.reject).finally(() => {
      this.inFlight -= 1;
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.queueLength > 0 || this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
