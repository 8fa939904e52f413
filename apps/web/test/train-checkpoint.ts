/**
 * A real checkpoint for the page tests: the first 3,000 training and 500 test digits of the embedded
 * MNIST, trained for 3 epochs by the real `lenet` CLI in a child process.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildEmbeddedMnist, writeMnistFolder } from '@lenet/data';

const run = promisify(execFile);
const LENET_BIN = path.resolve(__dirname, '..', '..', 'cli', 'bin', 'lenet.js');

/** The test split written next to the checkpoint, for drawing its digits on the page. */
export interface TestDigits {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * Writes the small MNIST folder into `work` and trains on it.
 *
 * @example
 * const { checkpoint, test } = await trainCheckpoint('/tmp/lenet-web-x');
 * // checkpoint: '/tmp/lenet-web-x/run/checkpoint'; test.count: 500
 */
export async function trainCheckpoint(work: string): Promise<{ checkpoint: string; test: TestDigits }> {
  const { train, test } = buildEmbeddedMnist();
  const cut = (split: typeof train, count: number) => ({
    images: split.images.subarray(0, count * 784),
    labels: split.labels.subarray(0, count),
    count,
  });
  const data = path.join(work, 'mnist');
  const output = path.join(work, 'run');
  const small = { train: cut(train, 3000), test: cut(test, 500) };
  await writeMnistFolder(data, small);
  await run(
    process.execPath,
    [LENET_BIN, 'train', '--data', data, '--epochs', '3', '--limit', '3000', '--backend', 'wasm', '--output', output],
    {
      timeout: 300_000,
      maxBuffer: 16 << 20,
    },
  );
  return { checkpoint: path.join(output, 'checkpoint'), test: small.test };
}
