import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { MnistFilesMissingError } from './errors';
import { findMnistFiles, findMnistFolder, mnistFileName, mnistFileNames } from './mnist-files';
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
    expect(error.message).toBe(`missing train-labels-idx1-ubyte[.gz] in ${dir} (expected all 2 MNIST train IDX files)`);
  });

  it('when the directory is empty, then all eight names are listed', async () => {
    const error = (await caught(() => findMnistFiles(dir, 'test'))) as MnistFilesMissingError;
    expect(error.lookedFor).toEqual([...mnistFileNames('test', 'images'), ...mnistFileNames('test', 'labels')]);
  });

  it('when the directory does not exist, then IDX_FILE_MISSING names it and every file looked for', async () => {
    const missing = join(dir, 'nope');
    const error = await caught(() => findMnistFiles(missing, 'train'));
    expect(error).toMatchObject({ code: 'IDX_FILE_MISSING', directory: missing });
    expect((error as MnistFilesMissingError).lookedFor).toHaveLength(8);
    expect(error.message).toBe(
      `no MNIST train IDX files in ${missing} (expected train-images-idx3-ubyte[.gz] and 1 more)`,
    );
  });

  it('when the path is a file, then IDX_FILE_MISSING says it is not a directory', async () => {
    await touch('plain');
    const error = await caught(() => findMnistFiles(join(dir, 'plain'), 'train'));
    expect(error).toMatchObject({ code: 'IDX_FILE_MISSING' });
    expect(error.message).toMatch(/\(expected a folder, found a file\)$/);
  });
});

describe('findMnistFolder', () => {
  it('when the folder does not exist, then one short line names it and the first file, without ENOENT text', async () => {
    const error = await caught(() => findMnistFolder(join(dir, 'nope')));
    expect(error).toBeInstanceOf(MnistFilesMissingError);
    expect(error.message).toBe(
      `no MNIST IDX files in ${join(dir, 'nope')} (expected train-images-idx3-ubyte[.gz] and 3 more)`,
    );
    expect(error.cause).toBeUndefined();
    expect((error as MnistFilesMissingError).lookedFor).toHaveLength(16);
  });

  it('when only the test labels are missing, then the line names that file and no other', async () => {
    await touch('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte');
    const error = await caught(() => findMnistFolder(dir));
    expect(error.message).toBe(`missing t10k-labels-idx1-ubyte[.gz] in ${dir} (expected all 4 MNIST IDX files)`);
  });

  it('when a hint is added, then it goes inside the parenthesis', async () => {
    const error = (await caught(() => findMnistFolder('data/nope'))) as MnistFilesMissingError;
    expect(error.withHint('npm run data makes data/mnist').message).toBe(
      'no MNIST IDX files in data/nope (expected train-images-idx3-ubyte[.gz] and 3 more; npm run data makes data/mnist)',
    );
  });

  it('when all four files are there, then each split gets its images and labels file', async () => {
    await touch(
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte',
      't10k-labels.idx1-ubyte',
    );
    expect(await findMnistFolder(dir)).toEqual({
      train: {
        imagesFile: join(dir, 'train-images-idx3-ubyte.gz'),
        labelsFile: join(dir, 'train-labels-idx1-ubyte.gz'),
      },
      test: { imagesFile: join(dir, 't10k-images-idx3-ubyte'), labelsFile: join(dir, 't10k-labels.idx1-ubyte') },
    });
  });
});
