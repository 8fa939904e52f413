/**
 * The per-image decode budget shared by a worker and its pool. A worker stuck in a synchronous
 * decoder cannot post a message, so it reports progress through a small shared memory cell
 * instead: before each image it writes (batch id, item index, wall-clock start). The pool reads the
 * cell on a timer and replaces a worker that has been on one image for longer than the deadline;
 * that image is answered `IMAGE_DECODE_TIMEOUT`, the others are sent again.
 */
import type { DecodeBudgetErrorCode } from '../errors';

/** Codes of images that cost a worker its life (`errors.ts` lists them; the error table maps them). */
export type DecodeBudgetCode = DecodeBudgetErrorCode;

const STARTED = 0;
const BATCH = 1;
const ITEM = 2;
/** `ITEM` while the worker is not decoding (idle, or in the model call). */
const NONE = -1;
/** Then a small ring of batch ids the pool took back (see {@link markReleased}), and its next slot. */
const RING_NEXT = 3;
const RING = 4;
const RING_SIZE = 8;

/**
 * A fresh progress cell to hand to a worker in `workerData`.
 *
 * @example
 * const cell = createProgressCell(); // Int32Array [0, 0, -1, 0, -1 x 8] over a SharedArrayBuffer
 */
export function createProgressCell(): Int32Array {
  const cell = new Int32Array(new SharedArrayBuffer((RING + RING_SIZE) * Int32Array.BYTES_PER_ELEMENT));
  cell[ITEM] = NONE;
  cell.fill(-1, RING);
  return cell;
}

/**
 * Worker side: about to decode item `index` of batch `batchId` (or, with `index` -1, done decoding).
 *
 * @example
 * markDecoding(cell, 7, 0); // the pool's clock for batch 7, item 0 starts now
 * markDecoding(cell, 7, -1); // decoding over, the model call is not under the decode deadline
 */
export function markDecoding(cell: Int32Array, batchId: number, index: number): void {
  // Batch ids only need to tell batches in flight apart: the low 31 bits do.
  Atomics.store(cell, BATCH, cellBatchId(batchId));
  Atomics.store(cell, STARTED, wallClock());
  Atomics.store(cell, ITEM, index);
}

/**
 * Main-thread side: the pool took batch `batchId` back from a worker stuck on an image (and sent it
 * elsewhere); the worker skips it if it gets to it. Remembers the last eight.
 *
 * @example
 * markReleased(cell, 9); isReleased(cell, 9); // true
 */
export function markReleased(cell: Int32Array, batchId: number): void {
  const slot = Atomics.add(cell, RING_NEXT, 1) % RING_SIZE;
  Atomics.store(cell, RING + slot, cellBatchId(batchId));
}

/**
 * Worker side: whether the pool took this batch back (see {@link markReleased}).
 *
 * @example
 * isReleased(cell, 10); // false
 */
export function isReleased(cell: Int32Array, batchId: number): boolean {
  const id = cellBatchId(batchId);
  for (let i = 0; i < RING_SIZE; i += 1) if (Atomics.load(cell, RING + i) === id) return true;
  return false;
}

/** What a worker was decoding when last looked at. */
export interface DecodingItem {
  batchId: number;
  index: number;
}

/**
 * Main-thread side: what the worker is decoding now, or null.
 *
 * @example
 * readDecoding(cell); // { batchId: 7, index: 0 }
 */
export function readDecoding(cell: Int32Array): DecodingItem | null {
  const index = Atomics.load(cell, ITEM);
  return index === NONE ? null : { batchId: Atomics.load(cell, BATCH), index };
}

/** Milliseconds of the wall clock, in 31 bits (it wraps every 24.8 days; differences stay right). */
function wallClock(): number {
  return Date.now() % 2 ** 31;
}

/**
 * Main-thread side: milliseconds the worker has been on the image it is decoding now (0 when it is
 * not decoding). Both threads read the same wall clock, so no look is needed to start the count.
 *
 * @example
 * decodingFor(cell); // 0, or 2153 for a worker stuck on one image for 2.2 s
 */
export function decodingFor(cell: Int32Array): number {
  if (Atomics.load(cell, ITEM) === NONE) return 0;
  const elapsed = wallClock() - Atomics.load(cell, STARTED);
  return elapsed < 0 ? elapsed + 2 ** 31 : elapsed;
}

/**
 * The batch id as the cell stores it, to compare with {@link DecodingItem.batchId}.
 *
 * @example
 * cellBatchId(2 ** 31 + 5); // 5
 */
export function cellBatchId(batchId: number): number {
  return batchId & 0x7fffffff;
}
