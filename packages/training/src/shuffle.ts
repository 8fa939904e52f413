/**
 * A small, fast, seedable PRNG (mulberry32). The same seed gives the same sequence on every machine,
 * which is what makes `--seed` and `--resume` reproducible.
 *
 * @example
 * const next = mulberry32(42);
 * next(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
