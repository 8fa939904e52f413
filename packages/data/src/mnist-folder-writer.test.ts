import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { IdxFormatError } from './errors';
import { readIdxFile } from './idx-file';
import type { MnistBytes } from './mnist-dataset';
import { writeMnistFolder } from './mnist-folder-writer';
import { caught, fakeImages, fakeLabels, makeTempDir } from './test-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/** Train of 6 and test of 3 fake examples. */
function fakeData(): MnistBytes {
  return {
    train: { images: fakeImages(6), labels: fakeLabels(6), count: 6 },
    test: { images: fakeImages(3), labels: fakeLabels(3), count: 3 },
  };
}

describe('writeMnistFolder', () => {
  it('when written raw, then the four standard files come back in order and decode to the input', async () => {
    const paths = await writeMnistFolder(dir, fakeData());
    expect(paths).toEqual([
      join(dir, 'train-images-idx3-ubyte'),
      join(dir, 'train-labels-idx1-ubyte'),
      join(dir, 't10k-images-idx3-ubyte'),
      join(dir, 't10k-labels-idx1-ubyte'),
    ]);
    expect(await readIdxFile(join(dir, 't10k-images-idx3-ubyte'), { kind: 'images' })).toEqual({
      dims: [3, 28, 28],
      data: fakeImages(3),
    });
    expect((await readIdxFile(join(dir, 'train-labels-idx1-ubyte'), { kind: 'labels' })).data).toEqual(fakeLabels(6));
  });

  it('when gzip is set, then the files are gzipped and named .gz', async () => {
    const paths = await writeMnistFolder(dir, fakeData(), { gzip: true });
    expect(paths.every((path) => path.endsWith('.gz'))).toBe(true);
    expect((await readIdxFile(join(dir, 'train-images-idx3-ubyte.gz'), { kind: 'images' })).data).toEqual(
      fakeImages(6),
    );
  });

  it('when the files exist already, then they are replaced and no temporary file is left', async () => {
    await writeMnistFolder(dir, fakeData());
    const smaller: MnistBytes = { ...fakeData(), test: { images: fakeImages(1), labels: fakeLabels(1), count: 1 } };
    await writeMnistFolder(dir, smaller);
    expect((await readIdxFile(join(dir, 't10k-labels-idx1-ubyte'))).dims).toEqual([1]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('when the folder does not exist, then it is created with its parents', async () => {
    const nested = join(dir, 'a', 'b');
    await writeMnistFolder(nested, fakeData());
    expect(await readdir(nested)).toHaveLength(4);
  });

  it('when count disagrees with the image bytes, then IDX_BAD_DIMENSIONS names the file and nothing is written', async () => {
    const data = fakeData();
    data.test.count = 4;
    const error = await caught(() => writeMnistFolder(dir, data));
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error).toMatchObject({
      code: 'IDX_BAD_DIMENSIONS',
      file: join(dir, 't10k-images-idx3-ubyte'),
      message: `${join(dir, 't10k-images-idx3-ubyte')}: expected 3136 image bytes (4 x 784), found 2352`,
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('when count is 0, then IDX_BAD_DIMENSIONS', async () => {
    const data: MnistBytes = {
      ...fakeData(),
      train: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
    };
    expect(await caught(() => writeMnistFolder(dir, data))).toMatchObject({ code: 'IDX_BAD_DIMENSIONS' });
  });

  it('when a label is above 9, then IDX_BAD_LABEL gives the label and its index', async () => {
    const data = fakeData();
    data.train.labels[4] = 10;
    const file = join(dir, 'train-labels-idx1-ubyte.gz');
    expect(await caught(() => writeMnistFolder(dir, data, { gzip: true }))).toMatchObject({
      code: 'IDX_BAD_LABEL',
      file,
      message: `${file}: expected labels 0..9, found 10 at index 4`,
    });
  });

  it('when the folder is a file, then IDX_WRITE_FAILED names it', async () => {
    const notDir = join(dir, 'file');
    await writeFile(notDir, '');
    expect(await caught(() => writeMnistFolder(notDir, fakeData()))).toMatchObject({
      code: 'IDX_WRITE_FAILED',
      file: notDir,
    });
  });

  it('when a target name is taken by a directory, then IDX_WRITE_FAILED and the temporary file is removed', async () => {
    const blocked = join(dir, 't10k-images-idx3-ubyte');
    await mkdir(join(blocked, 'inside'), { recursive: true });
    const error = await caught(() => writeMnistFolder(dir, fakeData()));
    expect(error).toMatchObject({ code: 'IDX_WRITE_FAILED', file: blocked });
    expect((await readdir(dir)).sort()).toEqual([
      't10k-images-idx3-ubyte',
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
    ]);
  });
});
