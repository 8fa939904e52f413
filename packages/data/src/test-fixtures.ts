/**
 * Helpers for this package's tests only (excluded from the build): temp folders and small,
 * deterministic MNIST-shaped fixtures.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MNIST_IMAGE_PIXELS } from './idx-format';
import { encodeIdx } from './idx-writer';

/** Makes a fresh temp folder; call the returned `cleanup` in `afterEach`. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lenet-data-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `count` 28x28 images whose bytes depend on their index, so any reordering or loss shows. */
export function fakeImages(count: number): Uint8Array {
  const images = new Uint8Array(count * MNIST_IMAGE_PIXELS);
  for (let i = 0; i < images.length; i += 1) images[i] = (i * 31 + (i >> 10)) & 0xff;
  return images;
}

/** `count` labels cycling 0..9. */
export function fakeLabels(count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => i % 10);
}

/** IDX bytes of `count` fake images (`[count, 28, 28]`). */
export function imagesIdx(count: number, gzip = false): Buffer {
  return encodeIdx({ dims: [count, 28, 28], data: fakeImages(count) }, { gzip });
}

/** IDX bytes of `count` fake labels (`[count]`). */
export function labelsIdx(count: number, gzip = false): Buffer {
  return encodeIdx({ dims: [count], data: fakeLabels(count) }, { gzip });
}

/** Writes `files` (name to bytes) into `dir`. */
export async function writeFiles(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  await Promise.all(Object.entries(files).map(([name, bytes]) => writeFile(join(dir, name), bytes)));
}

/** Runs `fn` and returns what it threw, failing the test if it threw nothing. */
export async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error to be thrown, found ${String(error)}`);
  }
  throw new Error('expected an Error to be thrown, found none');
}
