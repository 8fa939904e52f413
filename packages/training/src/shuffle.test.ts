import { epochOrder } from './shuffle';

describe('epochOrder', () => {
  test('when shuffling, then every index appears exactly once', () => {
    const order = epochOrder(1000, 42, 1);
    expect(order).toHaveLength(1000);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test('when called again with the same seed and epoch, then the order is the same', () => {
    expect(epochOrder(500, 7, 3)).toEqual(epochOrder(500, 7, 3));
  });

  test('when the epoch or the seed changes, then the order changes', () => {
    const base = Array.from(epochOrder(500, 7, 3));
    expect(Array.from(epochOrder(500, 7, 4))).not.toEqual(base);
    expect(Array.from(epochOrder(500, 8, 3))).not.toEqual(base);
  });

  test('when there are 0 or 1 examples, then the order is empty or [0]', () => {
    expect(Array.from(epochOrder(0, 1, 1))).toEqual([]);
    expect(Array.from(epochOrder(1, 1, 1))).toEqual([0]);
  });

  test('when it shuffles, then it actually moves examples (not the identity)', () => {
    const order = epochOrder(100, 1, 1);
    const unmoved = Array.from(order).filter((value, i) => value === i).length;
    expect(unmoved).toBeLessThan(10);
  });
});
