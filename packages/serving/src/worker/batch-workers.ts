/** The small interface between the worker pool and the batcher, and the batcher's queue policy. */
import type { ItemResult, WorkItem } from './protocol';

/**
 * What became of one image of a batch: its result; `undefined` when its worker gave it back
 * unfinished (replaced, or stuck on another image), so it is safe to send again; or a promise of
 * its result when the batch was answered before this image (the one its worker is stuck on).
 */
export type ItemOutcome = ItemResult | undefined | Promise<ItemResult>;

/** A worker as the batcher sees it: how many batches it holds. */
export interface WorkerLoad {
  readonly inFlight: number;
}

/**
 * What the batcher needs of a worker pool, and all it knows of one. `WorkerPool` implements it; a
 * test can implement it with a plain object.
 */
export interface BatchWorkers<W extends WorkerLoad = WorkerLoad> {
  /** Workers that can take a batch. */
  readonly readyCount: number;
  /** Workers starting (replacements); images may wait for them. */
  readonly startingCount: number;
  /** Ready workers holding no batch. */
  readonly idleCount: number;
  /** The ready worker holding the fewest batches, or undefined when none is ready. */
  leastLoaded(): W | undefined;
  /**
   * Runs one batch. Resolves with one {@link ItemOutcome} per item, in order. Rejects with a
   * {@link WorkerError} when the whole batch failed.
   */
  run(worker: W, items: WorkItem[]): Promise<ItemOutcome[]>;
  /** Registers `listener`, called whenever capacity may have changed (ready, finished, died). */
  onCapacityChange(listener: () => void): void;
}

/** Options of {@link Batcher}: the queue policy. */
export interface BatcherOptions {
  /** Most images in one batch. */
  maxBatch: number;
  /** While every worker is busy, longest the oldest image waits for a batch to fill. */
  maxDelayMs: number;
  /** Most images waiting (not yet sent to a worker); past it {@link Batcher.submit} throws OVERLOADED. */
  maxQueue: number;
  /**
   * Batches a worker may hold at once: one running and one waiting in its message port, so it never
   * sits idle while the main thread is busy with HTTP.
   */
  pipelineDepth?: number;
  /**
   * Most bytes of images in one batch (default 32 KiB). A batch answers when its last image is
   * done, and a worker decodes its images one after another, so a batch's first image waits for
   * all the others: 32 KiB is about five 280x280 photo JPEGs (about 10 ms of decoding), while
   * thirty-two 28x28 PNGs (under 1 KiB each) still go as one batch. At 256 KiB, 280x280 JPEGs at 64 connections had
   * a p99 of 1.5x to 2x the mean; the model call gains nothing measurable past a few images.
   * Always at least one image.
   */
  maxBatchBytes?: number;
  /** Times an image is sent again after its worker gave it back unfinished (default 4). */
  maxRetries?: number;
}
