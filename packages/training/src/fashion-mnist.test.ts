import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '@lenet/backend';
import { loadCheckpoint, type Hyperparameters } from '@lenet/checkpoint';
import { loadMnist } from '@lenet/data';
import { createLenet } from '@lenet/model';
import { evaluate } from './evaluate';
import { examplesFromDigits } from './examples';
import { train, type EpochReport } from './train';

// Real-size check on Debian's dataset-fashion-mnist (60,000 + 10,000 gzipped IDX images); CI installs it.
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const present = existsSync(path.join(FASHION_MNIST, 'train-images-idx3-ubyte.gz'));
if (!present) {
  console.warn(
    `skipping the Fashion-MNIST training test: ${FASHION_MNIST} is missing (apt-get install dataset-fashion-mnist)`,
  );
}

const hyperparameters: Hyperparameters = {
  epochs: 1,
  batchSize: 64,
  learningRate: 0.025,
  momentum: 0.9,
  weightDecay: 1e-4,
  checkpointEvery: 10,
  seed: 1,
  limit: 10_000,
  lrSchedule: 'constant',
  augment: 'shift',
};

(present ? describe : describe.skip)('Fashion-MNIST, 10,000 training images', () => {
  let outputDir: string;
  beforeAll(async () => {
    await selectBackend('wasm');
    outputDir = await mkdtemp(path.join(tmpdir(), 'lenet-fashion-'));
  });
  afterAll(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  test('when one epoch is trained on 2 workers, then the loss falls well below chance and test accuracy passes 65%', async () => {
    const data = await loadMnist(FASHION_MNIST, { trainLimit: 10_000, testLimit: 2_000 });
    const trainSet = examplesFromDigits(data.train.images, data.train.labels);
    const testSet = examplesFromDigits(data.test.images, data.test.labels);
    const before = evaluate(createLenet({ seed: 1 }), testSet);
    const reports: EpochReport[] = [];
    const result = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters,
      backend: 'wasm',
      data: null,
      workers: 2,
      onEpoch: (report) => reports.push(report),
    });
    const [epoch] = result.history;
    // An untrained LeNet scores about ln 10 = 2.30 and 10%.
    expect(before.loss).toBeGreaterThan(2);
    expect(epoch!.testLoss).toBeLessThan(before.loss * 0.5);
    expect(epoch!.trainLoss).toBeLessThan(1.5);
    expect(epoch!.testAccuracy).toBeGreaterThan(0.65);
    expect(reports[0]!.rss_peak_mb).toBeLessThan(1536);
    expect((await loadCheckpoint(result.checkpoint!)).metadata?.epoch).toBe(1);
  });
});
