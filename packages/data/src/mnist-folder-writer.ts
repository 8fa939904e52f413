import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import { IdxFormatError } from './errors';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_PIXELS, MNIST_IMAGE_SIZE } from './idx-format';
import type { IdxData } from './idx-reader';
import { encodeIdx } from './idx-writer';
import type { MnistBytes, MnistSplitBytes } from './mnist-dataset';
import { mnistFileName, type MnistSplit } from './mnist-files';

/** Options of {@link writeMnistFolder}. */
export interface WriteMnistFolderOptions {
  /** Gzip each file and add `.gz` to its name, as the MNIST distribution does. Default `false`. */
  gzip?: boolean;
}

const gzipAsync = promisify(gzip);
const SPLITS: readonly MnistSplit[] = ['train', 'test'];
/** Makes temporary names unique within this process, on top of the pid across processes. */
let tempSerial = 0;

/**
 * Writes both splits into `dir` (created if needed) as the four standard MNIST IDX files:
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each with `.gz` when `gzip` is set. Returns their paths in that order.
 *
 * Every split is checked before anything is written. Each file is written under a temporary name
 * `.<name>.<pid>-<n>.tmp` in `dir` and then renamed over `<name>`, so a reader never sees half a
 * file; the four are not replaced as one, and a killed process can leave a temporary file behind.
 * Other spellings already in `dir` are left alone: a raw file next to a written `.gz` one shadows
 * it for {@link loadMnist}, which prefers raw files.
 *
 * @throws {@link IdxFormatError}: `IDX_BAD_DIMENSIONS` if `count` and the byte lengths disagree,
 *   `IDX_BAD_LABEL` for a label above 9, `IDX_WRITE_FAILED` if the folder or a file cannot be written.
 * @example
 * await writeMnistFolder('data/mnist', buildEmbeddedMnist(), { gzip: true });
 * // ['data/mnist/train-images-idx3-ubyte.gz', 'data/mnist/train-labels-idx1-ubyte.gz',
 * //  'data/mnist/t10k-images-idx3-ubyte.gz', 'data/mnist/t10k-labels-idx1-ubyte.gz']
 */
export async function writeMnistFolder(
  dir: string,
  data: MnistBytes,
  options: WriteMnistFolderOptions = {},
): Promise<string[]> {
  const gzipped = options.gzip === true;
  const files = SPLITS.flatMap((split) => planSplit(dir, split, data[split], gzipped));
  await makeDir(dir);
  const written: string[] = [];
  // One file at a time: the full MNIST training images are 47 MB before gzip.
  for (const { path, idx } of files) {
    const raw = encodeIdx(idx);
    await writeAtomic(path, gzipped ? await gzipAsync(raw) : raw);
    written.push(path);
  }
  return written;
}

/** Checks one split and pairs each of its two files with the IDX content to write. */
function planSplit(
  dir: string,
  split: MnistSplit,
  bytes: MnistSplitBytes,
  gzip: boolean,
): { path: string; idx: IdxData }[] {
  const imagesFile = join(dir, mnistFileName(split, 'images', { gzip }));
  const labelsFile = join(dir, mnistFileName(split, 'labels', { gzip }));
  const { images, labels, count } = bytes;
  if (!(Number.isSafeInteger(count) && count > 0)) {
    throw new IdxFormatError(
      'IDX_BAD_DIMENSIONS',
      `${imagesFile}: expected a positive integer ${split} count, found ${count}`,
      {
        file: imagesFile,
      },
    );
  }
  if (images.length !== count * MNIST_IMAGE_PIXELS) {
    throw new IdxFormatError(
      'IDX_BAD_DIMENSIONS',
      `${imagesFile}: expected ${count * MNIST_IMAGE_PIXELS} image bytes (${count} x ${MNIST_IMAGE_PIXELS}), found ${images.length}`,
      { file: imagesFile },
    );
  }
  if (labels.length !== count) {
    throw new IdxFormatError('IDX_BAD_DIMENSIONS', `${labelsFile}: expected ${count} labels, found ${labels.length}`, {
      file: labelsFile,
    });
  }
  const bad = labels.findIndex((label) => label >= MNIST_CLASS_COUNT);
  if (bad !== -1) {
    throw new IdxFormatError(
      'IDX_BAD_LABEL',
      `${labelsFile}: expected labels 0..${MNIST_CLASS_COUNT - 1}, found ${String(labels[bad])} at index ${bad}`,
      { file: labelsFile },
    );
  }
  return [
    { path: imagesFile, idx: { dims: [count, MNIST_IMAGE_SIZE, MNIST_IMAGE_SIZE], data: images } },
    { path: labelsFile, idx: { dims: [count], data: labels } },
  ];
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw writeFailed(dir, 'a writable directory', error);
  }
}

/** Writes `bytes` to a temporary file next to `file`, then renames it into place. */
async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  tempSerial += 1;
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${tempSerial}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (error) {
    // Best effort: the write error is the one worth reporting.
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeFailed(file, 'a writable file', error);
  }
}

function writeFailed(file: string, expected: string, cause: unknown): IdxFormatError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new IdxFormatError('IDX_WRITE_FAILED', `${file}: expected ${expected}, found ${String(code ?? cause)}`, {
    file,
    cause,
  });
}
