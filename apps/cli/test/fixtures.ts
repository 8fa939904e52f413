import * as path from 'node:path';
import { buildEmbeddedMnist, writeMnistFolder } from '@lenet/data';
import { runCli } from './run-cli';

/** The embedded MNIST split, built once per test file. */
export const embedded = buildEmbeddedMnist();

/**
 * Writes a small real-MNIST folder: the first `trainCount` training and `testCount` test digits.
 *
 * @example
 * await writeSmallMnist('/tmp/x/mnist', 3000, 500);
 */
export async function writeSmallMnist(dir: string, trainCount: number, testCount: number): Promise<void> {
  const cut = (split: typeof embedded.train, count: number) => ({
    images: split.images.subarray(0, count * 784),
    labels: split.labels.subarray(0, count),
    count,
  });
  await writeMnistFolder(dir, { train: cut(embedded.train, trainCount), test: cut(embedded.test, testCount) });
}

/**
 * Trains a fixture model with the real CLI on a small real-MNIST folder in `work`; returns its
 * checkpoint folder (`work/run/checkpoint`) and data folder (`work/mnist`).
 *
 * @example
 * const { model } = await trainFixtureModel(work, { train: 2000, test: 200, epochs: 2 });
 */
export async function trainFixtureModel(
  work: string,
  size: { train: number; test: number; epochs: number },
): Promise<{ model: string; data: string }> {
  const data = path.join(work, 'mnist');
  await writeSmallMnist(data, size.train, size.test);
  const run = await runCli([
    'train',
    '--data',
    data,
    '--output',
    path.join(work, 'run'),
    '--epochs',
    String(size.epochs),
    '--backend',
    'wasm',
  ]);
  if (run.code !== 0) throw new Error(`training the fixture model failed: ${run.stderr}`);
  return { model: path.join(work, 'run', 'checkpoint'), data };
}
