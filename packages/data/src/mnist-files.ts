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

const SPLITS: readonly MnistSplit[] = ['train', 'test'];
const KINDS: readonly IdxKind[] = ['images', 'labels'];

/** `train-images-idx3-ubyte[.gz]`: the standard name as people know it; `lookedFor` has every variant. */
function shortName(split: MnistSplit, kind: IdxKind): string {
  return `${mnistFileName(split, kind)}[.gz]`;
}

/** Finds one file per split and kind, or throws one error listing what is missing, in a fixed order. */
async function locate(dir: string, splits: readonly MnistSplit[]): Promise<Record<MnistSplit, MnistFiles>> {
  const wanted = splits.flatMap((split) => KINDS.map((kind) => ({ split, kind, names: mnistFileNames(split, kind) })));
  const present = await listFiles(
    dir,
    wanted.flatMap((file) => file.names),
  );
  const found = wanted.map((file) => ({ ...file, name: file.names.find((name) => present.has(name)) }));
  const missing = found.filter((file) => file.name === undefined);
  if (missing.length > 0) {
    const what = splits.length === 1 ? `MNIST ${splits[0]} IDX files` : 'MNIST IDX files';
    const first = missing[0] as (typeof missing)[number];
    const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
    throw new MnistFilesMissingError({
      directory: dir,
      lookedFor: missing.flatMap((file) => file.names),
      problem:
        missing.length === wanted.length
          ? `no ${what} in ${dir}`
          : `missing ${missing.map((file) => shortName(file.split, file.kind)).join(', ')} in ${dir}`,
      expected:
        missing.length === wanted.length
          ? `expected ${shortName(first.split, first.kind)}${more}`
          : `expected all ${wanted.length} ${what}`,
    });
  }
  const path = (split: MnistSplit, kind: IdxKind) =>
    join(dir, found.find((file) => file.split === split && file.kind === kind)?.name ?? '');
  const files = {} as Record<MnistSplit, MnistFiles>;
  for (const split of splits) files[split] = { imagesFile: path(split, 'images'), labelsFile: path(split, 'labels') };
  return files;
}

/**
 * Finds the images and labels files of a split in `dir`.
 *
 * @throws {@link MnistFilesMissingError} (`IDX_FILE_MISSING`) if the directory or a file is
 *   missing; {@link IdxFormatError} (`IDX_READ_FAILED`) if the directory cannot be listed.
 * @example
 * await findMnistFiles('data/mnist', 'train');
 * // { imagesFile: 'data/mnist/train-images-idx3-ubyte.gz',
 * //   labelsFile: 'data/mnist/train-labels-idx1-ubyte.gz' }
 */
export async function findMnistFiles(dir: string, split: MnistSplit): Promise<MnistFiles> {
  return (await locate(dir, [split]))[split];
}

/**
 * Finds all four files of a folder at once, so that a folder missing several reports one error,
 * always the same one (the train split's first).
 *
 * @throws {@link MnistFilesMissingError} or {@link IdxFormatError} as {@link findMnistFiles}.
 * @example
 * await findMnistFolder('data/nope');
 * // throws 'no MNIST IDX files in data/nope (expected train-images-idx3-ubyte[.gz] and 3 more)'
 */
export async function findMnistFolder(dir: string): Promise<Record<MnistSplit, MnistFiles>> {
  return locate(dir, SPLITS);
}

async function listFiles(dir: string, lookedFor: string[]): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Symlinks count: data folders are often links into a shared cache.
    return new Set(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing folder holds no files: reported as such by the caller, without the raw ENOENT text.
    if (code === 'ENOENT') return new Set();
    if (code === 'ENOTDIR') {
      throw new MnistFilesMissingError({
        directory: dir,
        lookedFor,
        problem: `no MNIST IDX files in ${dir}`,
        expected: 'expected a folder, found a file',
      });
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
