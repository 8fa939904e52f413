import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { MnistFilesMissingError } from './errors';
import { findMnistFiles, mnistFileName, mnistFileNames } from './mnist-files';
import { caught, makeTempDir } from './test-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function touch(...names: string[]): Promise<void> {
  await Promise.all(names.map((name) => writeFile(join(dir, name), '')));
}

describe('mnistFileNames', () => {
  it('when asked for train images, then the dashed and dotted names come raw before gzipped', () => {
    expect(mnistFileNames('train', 'images')).toEqual([
      'train-images-idx3-ubyte',
      'train-images-idx3-ubyte.gz',
      'train-images.idx3-ubyte',
      'train-images.idx3-ubyte.gz',
    ]);
  });
});

describe('mnistFileName', () => {
  it('when asked for gzipped test labels, then the standard t10k name gets .gz', () => {
    expect(mnistFileName('test', 'labels', { gzip: true })).toBe('t10k-labels-idx1-ubyte.gz');
    expect(mnistFileName('train', 'images')).toBe('train-images-idx3-ubyte');
  });
});

describe('findMnistFiles', () => {
  it('when the test files are gzipped, then both are found under the t10k prefix', async () => {
    await touch('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
    expect(await findMnistFiles(dir, 'test')).toEqual({
      imagesFile: join(dir, 't10k-images-idx3-ubyte.gz'),
      labelsFile: join(dir, 't10k-labels-idx1-ubyte.gz'),
    });
  });

  it('when the dotted variant spelling is used, then it is found', async () => {
    await touch('train-images.idx3-ubyte', 'train-labels.idx1-ubyte.gz');
    expect(await findMnistFiles(dir, 'train')).toEqual({
      imagesFile: join(dir, 'train-images.idx3-ubyte'),
      labelsFile: join(dir, 'train-labels.idx1-ubyte.gz'),
    });
  });

  it('when both raw and gzipped files exist, then the raw one is preferred', async () => {
    await touch('train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
    expect((await findMnistFiles(dir, 'train')).imagesFile).toBe(join(dir, 'train-images-idx3-ubyte'));
  });

  it('when a file is a symlink, then it counts', async () => {
    await touch('real-images', 'train-labels-idx1-ubyte');
    await symlink(join(dir, 'real-images'), join(dir, 'train-images-idx3-ubyte.gz'));
    expect((await findMnistFiles(dir, 'train')).imagesFile).toBe(join(dir, 'train-images-idx3-ubyte.gz'));
  });

  it('when the labels file is missing, then IDX_FILE_MISSING lists every labels name tried and the directory', async () => {
    await touch('train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
    await mkdir(join(dir, 'train-labels-idx1-ubyte'));
    const error = await caught(() => findMnistFiles(dir, 'train'));
    expect(error).toBeInstanceOf(MnistFilesMissingError);
    expect(error).toMatchObject({
      code: 'IDX_FILE_MISSING',
      directory: dir,
      lookedFor: mnistFileNames('train', 'labels'),
    });
    expect(error.message).toBe(
      `${dir}: expected MNIST train files, found none named train-labels-idx1-ubyte, ` +
        'train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz',
    );
  });

  it('when the directory is empty, then all eight names are listed', async () => {
    const error = (await caught(() => findMnistFiles(dir, 'test'))) as MnistFilesMissingError;
    expect(error.lookedFor).toEqual([...mnistFileNames('test', 'images'), ...mnistFileNames('test', 'labels')]);
  });

  it('when the directory does not exist, then IDX_FILE_MISSING names it and every file looked for', async () => {
    const missing = join(dir, 'nope');
    const error = await caught(() => findMnistFiles(missing, 'train'));
    expect(error).toMatchObject({ code: 'IDX_FILE_MISSING', directory: missing });
    expect(error.message).toMatch(
      new RegExp(
        `^${missing}: expected a directory holding train-images-idx3-ubyte, .*train-labels\\.idx1-ubyte\\.gz, found no such directory$`,
      ),
    );
  });

  it('when the path is a file, then IDX_FILE_MISSING says it is not a directory', async () => {
    await touch('plain');
    const error = await caught(() => findMnistFiles(join(dir, 'plain'), 'train'));
    expect(error).toMatchObject({ code: 'IDX_FILE_MISSING' });
    expect(error.message).toMatch(/found a file, not a directory$/);
  });
});
