import { join } from 'node:path';

import { DataOptionsError, IdxFormatError, MnistFilesMissingError } from './errors';
import { mnistFingerprint } from './fingerprint';
import { encodeIdx } from './idx-writer';
import { loadMnist, loadMnistSplit } from './mnist-dataset';
import { caught, fakeImages, fakeLabels, imagesIdx, labelsIdx, makeTempDir, writeFiles } from './test-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/** Writes a complete train (n = 20) and test (n = 5) split, gzipped or raw. */
async function writeDataset(gzip: boolean): Promise<void> {
  const ext = gzip ? '.gz' : '';
  await writeFiles(dir, {
    [`train-images-idx3-ubyte${ext}`]: imagesIdx(20, gzip),
    [`train-labels-idx1-ubyte${ext}`]: labelsIdx(20, gzip),
    [`t10k-images-idx3-ubyte${ext}`]: imagesIdx(5, gzip),
    [`t10k-labels-idx1-ubyte${ext}`]: labelsIdx(5, gzip),
  });
}

describe('loadMnistSplit', () => {
  it('when the gzipped train files are present, then images, labels, count and files come back', async () => {
    await writeDataset(true);
    const train = await loadMnistSplit(dir, 'train');
    expect(train).toMatchObject({
      split: 'train',
      count: 20,
      imagesFile: join(dir, 'train-images-idx3-ubyte.gz'),
      labelsFile: join(dir, 'train-labels-idx1-ubyte.gz'),
    });
    expect(train.images).toEqual(fakeImages(20));
    expect(train.labels).toEqual(fakeLabels(20));
    expect(train.fingerprint).toBe(mnistFingerprint(fakeImages(20), fakeLabels(20)));
  });

  it('when limit is below the count, then only the first examples are kept, as copies', async () => {
    await writeDataset(false);
    const train = await loadMnistSplit(dir, 'train', { limit: 7 });
    expect(train.count).toBe(7);
    expect(train.images).toEqual(fakeImages(7));
    expect(train.labels).toEqual(fakeLabels(7));
    expect(train.images.buffer.byteLength).toBe(7 * 784);
    expect(train.fingerprint).toBe(mnistFingerprint(fakeImages(7), fakeLabels(7)));
  });

  it('when limit is above the count, then every example is kept', async () => {
    await writeDataset(false);
    expect((await loadMnistSplit(dir, 'test', { limit: 1000 })).count).toBe(5);
  });

  it.each([0, -1, 2.5, Number.NaN])('when limit is %p, then DataOptionsError names the option', async (limit) => {
    await writeDataset(false);
    const error = await caught(() => loadMnistSplit(dir, 'train', { limit }));
    expect(error).toBeInstanceOf(DataOptionsError);
    expect(error).toMatchObject({ code: 'DATA_BAD_OPTION', option: 'limit' });
    expect(error.message).toBe(`limit: expected a positive integer, found ${String(limit)}`);
  });

  it('when loaded twice, raw or gzipped, then the fingerprint is the same', async () => {
    await writeDataset(true);
    const first = await loadMnistSplit(dir, 'train');
    const again = await loadMnistSplit(dir, 'train');
    await cleanup();
    ({ dir, cleanup } = await makeTempDir());
    await writeDataset(false);
    const raw = await loadMnistSplit(dir, 'train');
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(raw.fingerprint).toBe(first.fingerprint);
  });

  it('when one image byte or one label changes, then the fingerprint changes', async () => {
    await writeDataset(false);
    const before = (await loadMnistSplit(dir, 'train')).fingerprint;

    const images = fakeImages(20);
    images[12_345] = (images[12_345] as number) ^ 1;
    await writeFiles(dir, { 'train-images-idx3-ubyte': encodeIdx({ dims: [20, 28, 28], data: images }) });
    const afterImage = (await loadMnistSplit(dir, 'train')).fingerprint;

    const labels = fakeLabels(20);
    labels[19] = 0;
    await writeFiles(dir, {
      'train-images-idx3-ubyte': imagesIdx(20),
      'train-labels-idx1-ubyte': encodeIdx({ dims: [20], data: labels }),
    });
    const afterLabel = (await loadMnistSplit(dir, 'train')).fingerprint;

    expect(new Set([before, afterImage, afterLabel]).size).toBe(3);
  });

  it('when images and labels counts differ, then IDX_COUNT_MISMATCH names both files and counts', async () => {
    await writeFiles(dir, {
      'train-images-idx3-ubyte.gz': imagesIdx(20, true),
      'train-labels-idx1-ubyte': labelsIdx(19),
    });
    const error = await caught(() => loadMnistSplit(dir, 'train'));
    expect(error).toBeInstanceOf(IdxFormatError);
    const imagesFile = join(dir, 'train-images-idx3-ubyte.gz');
    const labelsFile = join(dir, 'train-labels-idx1-ubyte');
    expect(error).toMatchObject({
      code: 'IDX_COUNT_MISMATCH',
      message: `${labelsFile}: expected 20 labels to match 20 images in ${imagesFile}, found 19`,
    });
  });

  it('when a file is corrupt, then the error names its full path', async () => {
    await writeFiles(dir, {
      't10k-images-idx3-ubyte': imagesIdx(5).subarray(0, 100),
      't10k-labels-idx1-ubyte': labelsIdx(5),
    });
    const error = await caught(() => loadMnistSplit(dir, 'test'));
    expect(error).toMatchObject({ code: 'IDX_TRUNCATED', file: join(dir, 't10k-images-idx3-ubyte') });
    expect(error.message.startsWith(`${join(dir, 't10k-images-idx3-ubyte')}: expected 3936 bytes`)).toBe(true);
  });

  it('when the files are missing, then MnistFilesMissingError lists the names looked for', async () => {
    const error = await caught(() => loadMnistSplit(dir, 'test'));
    expect(error).toBeInstanceOf(MnistFilesMissingError);
    expect((error as MnistFilesMissingError).lookedFor).toContain('t10k-labels.idx1-ubyte.gz');
  });

  it('when the split is full MNIST size (60,000 gzipped images), then it loads as typed arrays in seconds', async () => {
    const count = 60_000;
    const images = new Uint8Array(count * 784);
    for (let i = 0; i < count; i += 1) images[i * 784 + (i % 784)] = 255;
    await writeFiles(dir, {
      'train-images-idx3-ubyte.gz': encodeIdx({ dims: [count, 28, 28], data: images }, { gzip: true }),
      'train-labels-idx1-ubyte.gz': encodeIdx({ dims: [count], data: fakeLabels(count) }, { gzip: true }),
    });
    const started = Date.now();
    const train = await loadMnistSplit(dir, 'train');
    const elapsed = Date.now() - started;
    expect(train.count).toBe(count);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.length).toBe(47_040_000);
    expect(train.images[59_999 * 784 + (59_999 % 784)]).toBe(255);
    // Generous bound for a shared 2-core machine; locally it takes a few hundred milliseconds.
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe('loadMnist', () => {
  it('when both splits are present, then train and test load with their own limits', async () => {
    await writeDataset(true);
    const { train, test } = await loadMnist(dir, { trainLimit: 10 });
    expect([train.split, train.count, test.split, test.count]).toEqual(['train', 10, 'test', 5]);
  });
});

describe('loadMnist errors are deterministic', () => {
  it('when train and test files are both broken, then the train error is always the one thrown', async () => {
    await writeFiles(dir, {
      // The test split breaks faster (tiny raw file), so a race would let it win.
      'train-images-idx3-ubyte.gz': imagesIdx(2000, true).subarray(0, 5000),
      'train-labels-idx1-ubyte': labelsIdx(2000),
      't10k-images-idx3-ubyte': Buffer.from([1, 2, 3, 4]),
      't10k-labels-idx1-ubyte': labelsIdx(5),
    });
    for (let run = 0; run < 5; run += 1) {
      const error = await caught(() => loadMnist(dir));
      expect(error.message.startsWith(join(dir, 'train-images-idx3-ubyte.gz'))).toBe(true);
    }
  });

  it('when the folder does not exist, then one line names it and the first expected file', async () => {
    const error = await caught(() => loadMnist(join(dir, 'nope')));
    expect(error).toBeInstanceOf(MnistFilesMissingError);
    expect(error.message).toBe(
      `no MNIST IDX files in ${join(dir, 'nope')} (expected train-images-idx3-ubyte[.gz] and 3 more)`,
    );
  });
});
