import { loadMnist, loadMnistSplit, MnistFilesMissingError } from '@lenet/data';
import { UsageError } from './errors';

/** The folder `npm run data` writes; `--data` defaults to it. */
export const EMBEDDED_DATA_DIR = 'data/mnist';

/** Adds how to make the embedded dataset to a missing-files error about its folder. */
function hinted(dir: string, error: unknown): unknown {
  if (error instanceof MnistFilesMissingError && dir === EMBEDDED_DATA_DIR) {
    return new UsageError(
      `${error.message}; make the embedded dataset with 'npm run data' from the repository root, or pass --data DIR`,
      { cause: error },
    );
  }
  return error;
}

/**
 * `loadMnist` whose missing-files error for the default folder says how to create it.
 *
 * @example
 * await loadMnistWithHint('data/mnist', {}); // { train, test }
 */
export async function loadMnistWithHint(
  dir: string,
  options: Parameters<typeof loadMnist>[1],
): ReturnType<typeof loadMnist> {
  return loadMnist(dir, options).catch((error: unknown) => {
    throw hinted(dir, error);
  });
}

/**
 * `loadMnistSplit` whose missing-files error for the default folder says how to create it.
 *
 * @example
 * await loadMnistSplitWithHint('data/mnist', 'test', {}); // { images, labels, count, ... }
 */
export async function loadMnistSplitWithHint(
  dir: string,
  split: 'train' | 'test',
  options: Parameters<typeof loadMnistSplit>[2],
): ReturnType<typeof loadMnistSplit> {
  return loadMnistSplit(dir, split, options).catch((error: unknown) => {
    throw hinted(dir, error);
  });
}
