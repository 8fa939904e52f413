/**
 * Fixtures the server tests make for themselves in a temp folder: a small real-MNIST folder, a
 * checkpoint trained on it by the real CLI, and test-split digits encoded as PNG and JPEG.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Jimp } from 'jimp';
import { buildEmbeddedMnist, writeMnistFolder } from '@lenet/data';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
/** The built CLI (`npx tsc -b` first, as the root `npm test` does). */
const LENET_BIN = path.join(REPO, 'apps', 'cli', 'bin', 'lenet.js');
/** The built server entry point. */
export const SERVER_BIN = path.join(REPO, 'apps', 'server', 'bin', 'lenet-server.js');

/** Test-split digits: 784 bytes each, white on black, with their labels. */
export interface Digits {
  count: number;
  image(i: number): Uint8Array;
  label(i: number): number;
}

/** A temp folder with a trained checkpoint and the test digits. */
export interface Fixture {
  dir: string;
  checkpoint: string;
  digits: Digits;
  remove(): Promise<void>;
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LENET_BIN, ...args], { timeout: 240_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`lenet ${args.join(' ')} failed: ${stderr}`));
    });
  });
}

/**
 * Trains a checkpoint with the real CLI on the first `limit` training digits, in a new temp folder.
 * Two epochs on 3,000 digits reach about 85% test accuracy in ~15 s; one on 600 is enough for
 * tests that only need a model that loads.
 */
export async function makeFixture(
  options: { epochs: number; limit: number } = { epochs: 2, limit: 3000 },
): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lenet-server-test-'));
  const { train, test } = buildEmbeddedMnist();
  const cut = (split: typeof train, count: number) => ({
    images: split.images.subarray(0, count * 784),
    labels: split.labels.subarray(0, count),
    count,
  });
  await writeMnistFolder(path.join(dir, 'mnist'), { train: cut(train, options.limit), test: cut(test, 500) });
  await run([
    'train',
    '--data',
    path.join(dir, 'mnist'),
    '--epochs',
    String(options.epochs),
    '--limit',
    String(options.limit),
    '--backend',
    'wasm',
    '--output',
    path.join(dir, 'run'),
  ]);
  return {
    dir,
    checkpoint: path.join(dir, 'run', 'checkpoint'),
    digits: {
      count: test.count,
      image: (i) => test.images.slice(i * 784, (i + 1) * 784),
      label: (i) => test.labels[i]!,
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function grayImage(width: number, height: number, value: (x: number, y: number) => number): InstanceType<typeof Jimp> {
  const image = new Jimp({ width, height, color: 0xffffffff });
  const data = image.bitmap.data;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const v = value(x, y);
      const o = (y * width + x) * 4;
      data[o] = v;
      data[o + 1] = v;
      data[o + 2] = v;
      data[o + 3] = 255;
    }
  }
  return image;
}

/**
 * A 28x28 MNIST digit as a PNG, white on black as in the dataset.
 *
 * @example
 * const png = await digitPng(fixture.digits.image(0)); // <Buffer 89 50 4e 47 ...>
 */
export function digitPng(digit: Uint8Array): Promise<Buffer> {
  return grayImage(28, 28, (x, y) => digit[y * 28 + x]!).getBuffer('image/png');
}

/** The digit as a photo would show it: dark ink on white paper, `size` x `size` pixels, JPEG. */
export function digitJpeg(digit: Uint8Array, size = 280): Promise<Buffer> {
  const scale = size / 28;
  return grayImage(
    size,
    size,
    (x, y) => 255 - digit[Math.min(27, Math.floor(y / scale)) * 28 + Math.min(27, Math.floor(x / scale))]!,
  ).getBuffer('image/jpeg', { quality: 90 });
}

/** A white PNG: decodes fine, holds no digit. */
export function blankPng(size = 64): Promise<Buffer> {
  return grayImage(size, size, () => 255).getBuffer('image/png');
}
