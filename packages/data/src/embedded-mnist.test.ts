import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';

import { buildEmbeddedMnist, EMBEDDED_MNIST_FINGERPRINTS } from './embedded-mnist';
import { mnistFingerprint } from './fingerprint';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_PIXELS } from './idx-format';
import type { MnistExamples, MnistSplitExamples } from './mnist-dataset';
import { loadMnist } from './mnist-dataset';
import { writeMnistFolder } from './mnist-folder-writer';
import { makeTempDir } from './test-fixtures';

// Built once: reading the package takes about a second, and the result is deterministic.
let dataset: MnistExamples;
beforeAll(() => {
  dataset = buildEmbeddedMnist();
});

function perClass(labels: Uint8Array): number[] {
  const counts = new Array<number>(MNIST_CLASS_COUNT).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

function imageKeys(split: MnistSplitExamples): string[] {
  return Array.from({ length: split.count }, (_, n) =>
    Buffer.from(split.images.buffer, split.images.byteOffset + n * MNIST_IMAGE_PIXELS, MNIST_IMAGE_PIXELS).toString(
      'base64',
    ),
  );
}

describe('buildEmbeddedMnist', () => {
  it('when built, then train holds 8,000 examples and test 2,000, with matching byte lengths', () => {
    for (const [split, count] of [
      ['train', 8000],
      ['test', 2000],
    ] as const) {
      expect(dataset[split]).toMatchObject({ split, count });
      expect(dataset[split].images.length).toBe(count * MNIST_IMAGE_PIXELS);
      expect(dataset[split].labels.length).toBe(count);
    }
  });

  it('when built, then each class is split as the table in data/README.md says', () => {
    expect(perClass(dataset.train.labels)).toEqual([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
    expect(perClass(dataset.test.labels)).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
  });

  it('when built, then the fingerprints are the documented ones and match the bytes', () => {
    expect(EMBEDDED_MNIST_FINGERPRINTS).toEqual({
      train: 'e7c734e535743f0e03f682b3186b4ec73dd7215716db49f584e3c626e375885b',
      test: '32e329a3c33bd0848b00f786238b8679657ce291ee3e1ed734c794a02ef1d01c',
    });
    expect(dataset.train.fingerprint).toBe(EMBEDDED_MNIST_FINGERPRINTS.train);
    expect(dataset.test.fingerprint).toBe(EMBEDDED_MNIST_FINGERPRINTS.test);
    expect(mnistFingerprint(dataset.train.images, dataset.train.labels)).toBe(dataset.train.fingerprint);
  });

  it('when built, then the splits start with the labels data/README.md lists', () => {
    expect(Array.from(dataset.train.labels.subarray(0, 10))).toEqual([0, 9, 7, 7, 9, 8, 3, 7, 0, 8]);
    expect(Array.from(dataset.test.labels.subarray(0, 10))).toEqual([0, 6, 5, 5, 2, 2, 5, 2, 0, 8]);
  });

  it('when built, then no image appears twice, within or across the splits', () => {
    const keys = new Set([...imageKeys(dataset.train), ...imageKeys(dataset.test)]);
    expect(keys.size).toBe(10_000);
  });

  it('when built twice, then the bytes are identical', () => {
    const again = buildEmbeddedMnist();
    expect(again.train.fingerprint).toBe(dataset.train.fingerprint);
    expect(again.test.fingerprint).toBe(dataset.test.fingerprint);
  });
});

describe('writeMnistFolder with the embedded dataset', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it.each([true, false])('when written with gzip %p, then loadMnist reads back the same fingerprints', async (gzip) => {
    const paths = await writeMnistFolder(dir, dataset, { gzip });
    const loaded = await loadMnist(dir);

    expect([loaded.train.imagesFile, loaded.train.labelsFile, loaded.test.imagesFile, loaded.test.labelsFile]).toEqual(
      paths,
    );
    expect(loaded.train).toMatchObject({ count: 8000, fingerprint: EMBEDDED_MNIST_FINGERPRINTS.train });
    expect(loaded.test).toMatchObject({ count: 2000, fingerprint: EMBEDDED_MNIST_FINGERPRINTS.test });
    expect((await readdir(dir)).sort()).toEqual(paths.map((path) => basename(path)).sort());
  });
});
