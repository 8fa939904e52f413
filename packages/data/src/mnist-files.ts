import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { IdxFormatError, MnistFilesMissingError } from './errors';
import type { IdxKind } from './idx-format';

/** Which half of MNIST: `train` (files `train-*`) or `test` (files `t10k-*`). */
export type MnistSplit = 'train' | 'test';

/** Paths of the two files of one split, joined onto the directory as the caller gave it. */
export interface MnistFiles {
  imagesFile: string;
  labelsFile: string;
}

const PREFIX: Readonly<Record<MnistSplit, string>> = { train: 'train', test: 't10k' };
const IDX_SUFFIX: Readonly<Record<IdxKind, string>> = { images: 'idx3-ubyte', labels: 'idx1-ubyte' };

/**
 * File names accepted for one MNIST file, in order of preference: the standard dashed name, then
 * the common dotted variant, each raw before gzipped (raw needs no inflating).
 *
 * @example
 * mnistFileNames('test', 'labels');
 * // ['t10k-labels-idx1-ubyte', 't10k-labels-idx1-ubyte.gz',
 * //  't10k-labels.idx1-ubyte', 't10k-labels.idx1-ubyte.gz']
 */
export function mnistFileNames(split: MnistSplit, kind: IdxKind): string[] {
  const dashed = mnistFileName(split, kind);
  const dotted = `${PREFIX[split]}-${kind}.${IDX_SUFFIX[kind]}`;
  return [dashed, `${dashed}.gz`, dotted, `${dotted}.gz`];
}

/**
 * The standard (dashed) name of one MNIST file, the one {@link mnistFileNames} prefers.
 *
 * @example
 * mnistFileName('test', 'images');                 // 't10k-images-idx3-ubyte'
 * mnistFileName('train', 'labels', { gzip: true }); // 'train-labels-idx1-ubyte.gz'
 */
export function mnistFileName(split: MnistSplit, kind: IdxKind, options: { gzip?: boolean } = {}): string {
  return `${PREFIX[split]}-${kind}-${IDX_SUFFIX[kind]}${options.gzip === true ? '.gz' : ''}`;
}

/**
 * Finds the images and labels files of a split in `dir`.
 *
 * @throws {@link MnistFilesMissingError} (`IDX_FILE_MISSING`) if the directory or a file is
 *   missing, listing every name looked for; {@link IdxFormatError} (`IDX_READ_FAILED`) if the
 *   directory cannot be listed.
 * @example
 * await findMnistFiles('data/mnist', 'train');
 * // { imagesFile: 'data/mnist/train-images-idx3-ubyte.gz',
 * //   labelsFile: 'data/mnist/train-labels-idx1-ubyte.gz' }
 */
export async function findMnistFiles(dir: string, split: MnistSplit): Promise<MnistFiles> {
  const imageNames = mnistFileNames(split, 'images');
  const labelNames = mnistFileNames(split, 'labels');
  const present = await listFiles(dir, [...imageNames, ...labelNames]);

  const image = imageNames.find((name) => present.has(name));
  const label = labelNames.find((name) => present.has(name));
  if (image === undefined || label === undefined) {
    const lookedFor = [...(image === undefined ? imageNames : []), ...(label === undefined ? labelNames : [])];
    throw new MnistFilesMissingError(
      dir,
      lookedFor,
      `${dir}: expected MNIST ${split} files, found none named ${lookedFor.join(', ')}`,
    );
  }
  return { imagesFile: join(dir, image), labelsFile: join(dir, label) };
}

async function listFiles(dir: string, lookedFor: string[]): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Symlinks count: data folders are often links into a shared cache.
    return new Set(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const found = code === 'ENOENT' ? 'no such directory' : 'a file, not a directory';
      throw new MnistFilesMissingError(
        dir,
        lookedFor,
        `${dir}: expected a directory holding ${lookedFor.join(', ')}, found ${found}`,
        { cause: error },
      );
    }
    throw new IdxFormatError(
      'IDX_READ_FAILED',
      `${dir}: expected a readable directory, found ${String(code ?? error)}`,
      {
        file: dir,
        cause: error,
      },
    );
  }
}
