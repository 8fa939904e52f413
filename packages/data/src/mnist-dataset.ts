import { DataOptionsError, IdxFormatError } from './errors';
import { mnistFingerprint } from './fingerprint';
import { readIdxFile } from './idx-file';
import { MNIST_IMAGE_PIXELS } from './idx-format';
import type { IdxData } from './idx-reader';
import { findMnistFiles, findMnistFolder, type MnistFiles, type MnistSplit } from './mnist-files';

/** Options of {@link loadMnistSplit}. */
export interface LoadMnistSplitOptions {
  /** Keep only the first `limit` examples (a positive integer); default all. */
  limit?: number;
}

/** The examples of one split as bytes: all {@link writeMnistFolder} needs. */
export interface MnistSplitBytes {
  /** `count * 784` bytes 0..255, image after image, each 28 rows of 28 pixels, white digit on black. */
  images: Uint8Array;
  /** `count` labels 0..9. */
  labels: Uint8Array;
  count: number;
}

/** Both splits as bytes. */
export interface MnistBytes {
  train: MnistSplitBytes;
  test: MnistSplitBytes;
}

/** One split in memory, wherever it came from (a folder, or {@link buildEmbeddedMnist}). */
export interface MnistSplitExamples extends MnistSplitBytes {
  split: MnistSplit;
  /** {@link mnistFingerprint} of `images` and `labels`. */
  fingerprint: string;
}

/** Both splits in memory. */
export interface MnistExamples {
  train: MnistSplitExamples;
  test: MnistSplitExamples;
}

/** One split loaded from a folder; `fingerprint` covers what is returned (after `limit`). */
export interface MnistSplitData extends MnistSplitExamples {
  imagesFile: string;
  labelsFile: string;
}

/**
 * Loads one MNIST split from a directory holding the standard files (raw or `.gz`).
 *
 * @throws {@link MnistFilesMissingError}, {@link IdxFormatError} (see its codes) or
 *   {@link DataOptionsError} for a bad `limit`.
 * @example
 * const train = await loadMnistSplit('data/mnist', 'train', { limit: 1000 });
 * train.count;         // 1000
 * train.images.length; // 784000
 * train.fingerprint;   // 64 hex characters
 */
export async function loadMnistSplit(
  dir: string,
  split: MnistSplit,
  options: LoadMnistSplitOptions = {},
): Promise<MnistSplitData> {
  checkLimit('limit', options.limit);
  return loadSplitFiles(await findMnistFiles(dir, split), split, options.limit);
}

function checkLimit(option: string, limit: number | undefined): void {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
    throw new DataOptionsError(option, `${option}: expected a positive integer, found ${String(limit)}`);
  }
}

/** Both files read at once; when both fail, the images file's error wins, so the message is always the same. */
async function readBoth(imagesFile: string, labelsFile: string): Promise<[IdxData, IdxData]> {
  const [images, labels] = await Promise.allSettled([
    readIdxFile(imagesFile, { kind: 'images' }),
    readIdxFile(labelsFile, { kind: 'labels' }),
  ]);
  if (images.status === 'rejected') throw images.reason;
  if (labels.status === 'rejected') throw labels.reason;
  return [images.value, labels.value];
}

async function loadSplitFiles(
  { imagesFile, labelsFile }: MnistFiles,
  split: MnistSplit,
  limit: number | undefined,
): Promise<MnistSplitData> {
  const [images, labels] = await readBoth(imagesFile, labelsFile);

  const imageCount = images.dims[0] as number;
  const labelCount = labels.dims[0] as number;
  if (imageCount !== labelCount) {
    throw new IdxFormatError(
      'IDX_COUNT_MISMATCH',
      `${labelsFile}: expected ${imageCount} labels to match ${imageCount} images in ${imagesFile}, found ${labelCount}`,
      { file: labelsFile },
    );
  }

  const count = limit === undefined ? imageCount : Math.min(limit, imageCount);
  // With a limit, copy the kept part so the full decoded file (47 MB for MNIST) can be collected.
  const keptImages = count === imageCount ? images.data : images.data.slice(0, count * MNIST_IMAGE_PIXELS);
  const keptLabels = count === labelCount ? labels.data : labels.data.slice(0, count);
  return {
    split,
    images: keptImages,
    labels: keptLabels,
    count,
    imagesFile,
    labelsFile,
    fingerprint: mnistFingerprint(keptImages, keptLabels),
  };
}

/** Options of {@link loadMnist}: a separate limit per split. */
export interface LoadMnistOptions {
  trainLimit?: number;
  testLimit?: number;
}

/** Both splits loaded from a folder. */
export interface MnistData extends MnistExamples {
  train: MnistSplitData;
  test: MnistSplitData;
}

/**
 * Loads the train and test splits of a directory in parallel. All four files are looked for first,
 * and when several are wrong the train split's error is the one thrown, so a bad folder always gives
 * the same message.
 *
 * @example
 * const { train, test } = await loadMnist('data/mnist');
 * [train.count, test.count]; // [8000, 2000] for the embedded dataset
 */
export async function loadMnist(dir: string, options: LoadMnistOptions = {}): Promise<MnistData> {
  checkLimit('trainLimit', options.trainLimit);
  checkLimit('testLimit', options.testLimit);
  const files = await findMnistFolder(dir);
  const [train, test] = await Promise.allSettled([
    loadSplitFiles(files.train, 'train', options.trainLimit),
    loadSplitFiles(files.test, 'test', options.testLimit),
  ]);
  if (train.status === 'rejected') throw train.reason;
  if (test.status === 'rejected') throw test.reason;
  return { train: train.value, test: test.value };
}
