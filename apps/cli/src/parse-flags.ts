import { UsageError } from './errors';

/**
 * Commander argument parsers that reject bad numbers with a message naming the flag.
 *
 * @example
 * positiveInteger('--epochs')('30'); // 30
 * positiveInteger('--epochs')('ten'); // throws UsageError "--epochs: expected a positive integer, found 'ten'"
 */
export function positiveInteger(flag: string): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed <= 0) {
      throw new UsageError(`${flag}: expected a positive integer, found '${value}'`);
    }
    return parsed;
  };
}

/**
 * @example
 * nonNegativeNumber('--weight-decay')('1e-4'); // 0.0001
 */
export function nonNegativeNumber(flag: string): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
      throw new UsageError(`${flag}: expected a number >= 0, found '${value}'`);
    }
    return parsed;
  };
}

/**
 * @example
 * oneOf('--backend', ['auto', 'wasm'])('wasm'); // 'wasm'
 */
export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, found '${value}'`);
    }
    return value as T;
  };
}
