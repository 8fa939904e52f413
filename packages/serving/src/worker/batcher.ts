import { OverloadedError, RequestError, WorkerError } from '../errors';
import type { ItemResult, WorkItem } from './protocol';
import type { PoolSlot, WorkerPool } from './worker-pool';

/** Options of {@link Batcher}. */
export interface BatcherOptions {
  maxBatch: number;
  maxDelayMs: number;
  /** Most images waiting (not yet sent to a worker). */
  maxQueue: number;
  /**
   * Batches a worker may hold at once: one running and one waiting in its message port, so it never
   * sits idle while the main thread is busy with HTTP.
   */
  pipelineDepth?: number;
  /**
   * Most bytes of images in one batch (default 256 KiB). A batch answers when its last image is
   * done, so thirty-two 1-megapixel photos in one batch would keep the first waiting for the rest.
   * Always at least one image.
   */
  maxBatchBytes?: number;
}

interface Waiting {
  item: WorkItem;
  enqueuedAt: number;
  resolve: (result: ItemResult) => void;
  reject: (error: Error) => void;
  /** The client went away before a worker took the image. */
  cancelled: boolean;
}

/**
 * Gathers images from concurrent requests into batches for the worker pool. A lone image goes out at
 * once when a worker is idle; while every worker is busy, images wait until a batch is full
 * (`maxBatch`) or the oldest has waited `maxDelayMs` and a worker can take more. The queue is
 * bounded: past `maxQueue` waiting images, {@link submit} throws {@link OverloadedError}.
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

  constructor(
    private readonly pool: WorkerPool,
    private readonly options: BatcherOptions,
  ) {
    this.pipelineDepth = options.pipelineDepth ?? 2;
    this.maxBatchBytes = options.maxBatchBytes ?? 256 * 1024;
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
   * @throws WorkerError `SHUTTING_DOWN` after {@link close}
   */
  submit(items: WorkItem[], signal?: AbortSignal): Array<Promise<ItemResult>> {
    if (this.closed)
      throw new WorkerError('SHUTTING_DOWN', 'the server is shutting down; retry against another instance');
    if (this.pool.readyCount === 0)
      throw new WorkerError('NO_WORKER_READY', 'no worker is ready (a replacement is starting); retry the request');
    if (this.queueLength + items.length > this.options.maxQueue) throw new OverloadedError(this.options.maxQueue, 1);
    const now = performance.now();
    const entries: Waiting[] = [];
    const promises = items.map(
      (item) =>
        new Promise<ItemResult>((resolve, reject) => {
          const entry: Waiting = { item, enqueuedAt: now, resolve, reject, cancelled: false };
          entries.push(entry);
          this.queue.push(entry);
        }),
    );
    signal?.addEventListener('abort', () => this.cancel(entries), { once: true });
    this.schedule();
    return promises;
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
    this.notifyIdle();
  }

  /** Call when pool capacity may have changed (a worker became ready or finished). */
  wake(): void {
    this.schedule();
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

  /** Fails every waiting image (the pool is gone). */
  failWaiting(error: Error): void {
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
      const worker = this.pool.leastLoaded();
      if (worker === undefined || worker.inFlight >= this.pipelineDepth) return;
      this.skipCancelled();
      const waited = performance.now() - this.queue[this.head]!.enqueuedAt;
      if (worker.inFlight > 0 && this.queueLength < this.options.maxBatch && waited < this.options.maxDelayMs) {
        this.armTimer(this.options.maxDelayMs - waited);
        return;
      }
      // Decoding is per image and only the model call gains from batching: spread what is queued
      // over the idle workers rather than giving it all to the first (eight 1-megapixel photos
      // on one worker while another idles took twice as long).
      const idle = this.pool.idleCount;
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

  /** Drops cancelled images from the front of the queue. */
  private skipCancelled(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.cancelled) {
      this.head += 1;
      this.cancelled -= 1;
    }
  }

  /** Up to `count` live images from the front, within the byte budget (at least one). */
  private take(count: number): Waiting[] {
    const batch: Waiting[] = [];
    let bytes = 0;
    while (batch.length < count && this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      if (next.cancelled) {
        this.cancelled -= 1;
      } else {
        if (batch.length > 0 && bytes + next.item.bytes.byteLength > this.maxBatchBytes) break;
        bytes += next.item.bytes.byteLength;
        batch.push(next);
      }
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private send(worker: PoolSlot, batch: Waiting[]): void {
    this.inFlight += batch.length;
    this.pool
      .run(
        worker,
        batch.map((waiting) => waiting.item),
      )
      .then(
        (results) => batch.forEach((waiting, i) => waiting.resolve(results[i]!)),
        (error: Error) => batch.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.inFlight -= batch.length;
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
