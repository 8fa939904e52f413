import type { BatchProgress } from '@lenet/training';

const WIDTH = 24;

/**
 * One carriage-return-refreshed line for a terminal.
 *
 * @example
 * progressLine({ epoch: 3, batch: 60, batches: 125, loss: 0.1, accuracy: 0.97, imagesPerSecond: 1700 }, 30);
 * // "epoch 3/30 [###########.............]  60/125  loss 0.1000  acc 97.00%  1700 img/s"
 */
export function progressLine(progress: BatchProgress, epochs: number): string {
  const filled = Math.round((progress.batch / progress.batches) * WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(WIDTH - filled);
  const count = `${String(progress.batch).padStart(String(progress.batches).length)}/${progress.batches}`;
  return `epoch ${progress.epoch}/${epochs} [${bar}] ${count}  loss ${progress.loss.toFixed(4)}  acc ${(progress.accuracy * 100).toFixed(2)}%  ${Math.round(progress.imagesPerSecond)} img/s`;
}
