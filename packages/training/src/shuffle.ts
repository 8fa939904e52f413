import { mulberry32 } from '@lenet/data';

export { mulberry32 };

/**
 * The order in which epoch `epoch` (1-based) visits `count` examples: a Fisher-Yates shuffle seeded by
 * the run seed and the epoch, so an interrupted epoch can be resumed at the same position.
 *
 * @example
 * epochOrder(5, 42, 1); // Uint32Array [ 3, 0, 4, 1, 2 ] (always the same for these arguments)
 */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  const next = mulberry32((seed * 1_000_003 + epoch) >>> 0);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) order[i] = i;
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
