import type { Hyperparameters } from '@lenet/checkpoint';
import { MAX_SHIFT } from './examples';
import { mulberry32 } from './shuffle';

/**
 * Learning rate of epoch `epoch` (1-based): constant, or cosine-annealed from `learningRate` towards 0.
 *
 * @example
 * learningRateAt({ ...hp, learningRate: 0.025, epochs: 30, lrSchedule: 'cosine' }, 16); // 0.0125 (about)
 */
export function learningRateAt(hp: Hyperparameters, epoch: number): number {
  if (hp.lrSchedule === 'constant') return hp.learningRate;
  return hp.learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / hp.epochs));
}

/**
 * Random shifts for one batch, seeded by run, epoch and batch so that a resumed run draws the same
 * ones; undefined when augmentation is off.
 *
 * @example
 * const shift = shiftFor({ ...hp, augment: 'shift' }, 1, 0); // shift() -> -2, 0, 1, ... (always the same)
 */
export function shiftFor(hp: Hyperparameters, epoch: number, batch: number): (() => number) | undefined {
  if (hp.augment === 'none') return undefined;
  const random = mulberry32((hp.seed * 7919 + epoch * 104_729 + batch * 13) >>> 0);
  return () => Math.floor(random() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
}
