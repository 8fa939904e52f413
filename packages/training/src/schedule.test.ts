import type { Hyperparameters } from '@lenet/checkpoint';
import { MAX_SHIFT } from './examples';
import { learningRateAt, shiftFor } from './schedule';

const hp: Hyperparameters = {
  epochs: 30,
  batchSize: 64,
  learningRate: 0.025,
  momentum: 0.9,
  weightDecay: 1e-4,
  checkpointEvery: 10,
  seed: 1,
  limit: null,
  lrSchedule: 'cosine',
  augment: 'shift',
};

describe('learningRateAt', () => {
  test('when the schedule is constant, then every epoch gets the base rate', () => {
    const constant = { ...hp, lrSchedule: 'constant' as const };
    expect([1, 2, 15, 30].map((epoch) => learningRateAt(constant, epoch))).toEqual([0.025, 0.025, 0.025, 0.025]);
  });

  test('when the schedule is cosine, then it starts at the base rate, halves mid-run and ends near 0', () => {
    expect(learningRateAt(hp, 1)).toBeCloseTo(0.025, 12);
    expect(learningRateAt(hp, 16)).toBeCloseTo(0.0125, 12);
    // Epoch 30 of 30: 0.025 * 0.5 * (1 + cos(29pi/30)) = 0.0000684...
    expect(learningRateAt(hp, 30)).toBeCloseTo(0.025 * 0.5 * (1 + Math.cos((29 * Math.PI) / 30)), 12);
    expect(learningRateAt(hp, 30)).toBeGreaterThan(0);
  });

  test('when the cosine epochs advance, then the rate never increases', () => {
    const rates = Array.from({ length: 30 }, (_, i) => learningRateAt(hp, i + 1));
    for (let i = 1; i < rates.length; i += 1) expect(rates[i]).toBeLessThan(rates[i - 1] as number);
  });
});

describe('shiftFor', () => {
  const draws = (next: () => number, count: number) => Array.from({ length: count }, next);

  test('when augmentation is off, then there is no shift function', () => {
    expect(shiftFor({ ...hp, augment: 'none' }, 1, 0)).toBeUndefined();
  });

  test('when asked twice for one batch, then the shifts are the same and within the padding', () => {
    const first = draws(shiftFor(hp, 3, 7)!, 200);
    expect(draws(shiftFor(hp, 3, 7)!, 200)).toEqual(first);
    expect(Math.max(...first)).toBe(MAX_SHIFT);
    expect(Math.min(...first)).toBe(-MAX_SHIFT);
  });

  test('when the batch, epoch or seed differs, then the shifts differ', () => {
    const base = draws(shiftFor(hp, 3, 7)!, 50);
    expect(draws(shiftFor(hp, 3, 8)!, 50)).not.toEqual(base);
    expect(draws(shiftFor(hp, 4, 7)!, 50)).not.toEqual(base);
    expect(draws(shiftFor({ ...hp, seed: 2 }, 3, 7)!, 50)).not.toEqual(base);
  });
});
