/**
 * What a pool gives back when a worker is stuck on one image: the other images it holds, at once
 * (to be sent elsewhere), and, when the worker is replaced, the 4xx of the image that cost it.
 */
import { WorkerError } from '../errors';
import { cellBatchId, type DecodeBudgetCode, type DecodingItem, markReleased } from './decode-budget';
import type { ItemResult, WorkItem } from './protocol';
import type { PendingBatch, Slot } from './worker-slot';

/** The limits named in the messages of images over budget. */
export interface DecodeBudget {
  decodeTimeoutMs: number;
  memoryMb: number | undefined;
}

const MESSAGES: Record<DecodeBudgetCode, (name: string, budget: DecodeBudget) => string> = {
  IMAGE_DECODE_TIMEOUT: (name, budget) =>
    `${name}: expected the image to decode within ${budget.decodeTimeoutMs} ms, found it still decoding (a hostile or too complex file?)`,
  IMAGE_TOO_COMPLEX: (name, budget) =>
    `${name}: expected the image to decode within the worker's ${budget.memoryMb ?? '?'} MiB memory ceiling, found it needing more (a hostile or too complex file?)`,
};

/**
 * The image a worker is decoding, from its pending batches.
 *
 * @example
 * itemAt(slot, { batchId: 7, index: 1 })?.name; // 'scan.tif'
 */
export function itemAt(slot: Slot, decoding: DecodingItem): WorkItem | undefined {
  for (const [id, batch] of slot.pending) if (cellBatchId(id) === decoding.batchId) return batch.items[decoding.index];
  return undefined;
}

/**
 * Gives back every image of the batch a worker is stuck in but the one it is stuck on, whose answer
 * (from the worker, or the deadline) comes later, alone.
 */
function releaseAllBut(batch: PendingBatch, index: number): void {
  const { resolve } = batch;
  const alone = new Promise<ItemResult>((resolveOne, rejectOne) => {
    batch.resolve = (results) => {
      const result = results[index];
      if (result !== undefined && !(result instanceof Promise)) resolveOne(result);
      else
        rejectOne(
          new WorkerError(
            'WORKER_CRASHED',
            `${batch.items[index]?.name ?? 'image'}: its worker was replaced before finishing it; retry the request`,
          ),
        );
    };
    batch.reject = rejectOne;
  });
  resolve(batch.items.map((_, i) => (i === index ? alone : undefined)));
}

/**
 * A worker has been on one image for long: gives back every other image it holds for the batcher to
 * send elsewhere (batches it has not started are dropped from it; it skips them if it gets to them).
 * Returns how many batches it no longer holds.
 *
 * @example
 * releaseQueued(slot, { batchId: 7, index: 1 }); // 1: batch 8 waited behind it and goes elsewhere
 */
export function releaseQueued(slot: Slot, decoding: DecodingItem): number {
  let released = 0;
  for (const [id, batch] of slot.pending) {
    if (cellBatchId(id) === decoding.batchId) {
      releaseAllBut(batch, decoding.index);
      continue;
    }
    slot.pending.delete(id);
    markReleased(slot.progress, id);
    clearTimeout(batch.timer);
    slot.inFlight -= 1;
    released += 1;
    batch.resolve(batch.items.map(() => undefined));
  }
  return released;
}

/**
 * A worker is being replaced because of one image: that image gets its 4xx; every other image it held
 * comes back unfinished.
 *
 * @example
 * answerRecycled(slot, { batchId: 7, index: 1, code: 'IMAGE_DECODE_TIMEOUT' }, { decodeTimeoutMs: 2000, memoryMb: 512 });
 */
export function answerRecycled(
  slot: Slot,
  verdict: DecodingItem & { code: DecodeBudgetCode },
  budget: DecodeBudget,
): void {
  for (const [id, batch] of slot.pending) {
    clearTimeout(batch.timer);
    batch.resolve(
      batch.items.map((item, i): ItemResult | undefined =>
        cellBatchId(id) === verdict.batchId && i === verdict.index
          ? { ok: false, error: { code: verdict.code, message: MESSAGES[verdict.code](item.name, budget) } }
          : undefined,
      ),
    );
  }
  slot.pending.clear();
  slot.inFlight = 0;
}
