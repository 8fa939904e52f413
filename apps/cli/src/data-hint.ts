import { loadMnist, loadMnistSplit, MnistFilesMissingError } from '@lenet/data';

/** The folder `npm run data` writes; `--data` defaults to it. */
export const EMBEDDED_DATA_DIR = 'data/mnist';

/**
 * Adds how to make the embedded dataset to a missing-files error about the default folder; a folder the
 * user named is theirs to fill, so its error stays as it is.
 */
function hinted(dir: string, error: unknown): unknown {
  return error instanceof MnistFilesMissingError && dir === EMBEDDED_DATA_DIR
    ? error.withHint(`npm run data makes ${EMBEDDED_DATA_DIR}`)
    : error;
}

/**
 * `loadMnist` whose missing-files error for the default folder says how to make it:
 * `no MNIST IDX files in data/mnist (expected train-images-idx3-ubyte[.gz] and 3 more; npm run data makes data/mnist)`.
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
 * `loadMnistSplit` whose missing-files error for the default folder says how to make it.
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
