import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '@lenet/backend';
import { loadCheckpoint, type Hyperparameters } from '@lenet/checkpoint';
import { TrainingDivergedError, TrainingOptionError } from './errors';
import { examplesFromDigits, type Examples } from './examples';
import { train } from './train';
import { buildEmbeddedMnist } from '@lenet/data';

const embedded = buildEmbeddedMnist();
/** The first `count` real digits of an embedded split. */
function realDigits(split: 'train' | 'test', count: number): Examples {
  const { images, labels } = embedded[split];
  return examplesFromDigits(images.subarray(0, count * 784), labels.subarray(0, count));
}

const hyperparameters: Hyperparameters = {
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  momentum: 0.9,
  weightDecay: 1e-4,
  checkpointEvery: 1,
  seed: 3,
  limit: null,
  lrSchedule: 'cosine',
  augment: 'shift',
};

let outputDir: string;
beforeAll(async () => {
  await selectBackend('wasm');
});
beforeEach(async () => {
  outputDir = await mkdtemp(path.join(tmpdir(), 'lenet-train-'));
});
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true });
});

const trainSet = realDigits('train', 640);
const testSet = realDigits('test', 200);
const weightsOf = (model: tfl.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('train', () => {
  test('when trained, then it learns, writes checkpoint/ and every epoch-N/, and reports each epoch', async () => {
    const epochs: number[] = [];
    const result = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters: { ...hyperparameters, epochs: 3, augment: 'none' },
      backend: 'wasm',
      data: null,
      onEpoch: (r) => epochs.push(r.epoch),
    });
    expect(epochs).toEqual([1, 2, 3]);
    expect(result.stopped).toBe(false);
    expect(result.history.at(-1)!.testAccuracy).toBeGreaterThan(0.7); // chance is 0.1
    expect((await readdir(outputDir)).sort()).toEqual(['checkpoint', 'epoch-1', 'epoch-2', 'epoch-3']);
    expect((await loadCheckpoint(path.join(outputDir, 'checkpoint'))).metadata?.epoch).toBe(3);
  });

  test('when a run is stopped mid-epoch and resumed, then it ends with exactly the weights of an uninterrupted run', async () => {
    const straight = await train({
      train: trainSet,
      test: testSet,
      outputDir: path.join(outputDir, 'straight'),
      hyperparameters,
      backend: 'wasm',
      data: null,
    });

    let batches = 0;
    const stopped = await train({
      train: trainSet,
      test: testSet,
      outputDir: path.join(outputDir, 'stopped'),
      hyperparameters,
      backend: 'wasm',
      data: null,
      // Polled after each of epoch 1's 20 batches and once at its end, so poll 24 is after epoch 2's third batch.
      shouldStop: () => {
        batches += 1;
        return batches === 24;
      },
    });
    expect(stopped.stopped).toBe(true);
    const checkpoint = await loadCheckpoint(stopped.checkpoint!, { withOptimizer: true });
    expect(checkpoint.metadata).toMatchObject({ epoch: 1, batchesIntoEpoch: 3 });

    const resumed = await train({
      train: trainSet,
      test: testSet,
      outputDir: path.join(outputDir, 'stopped'),
      hyperparameters,
      backend: 'wasm',
      data: null,
      resume: checkpoint,
    });
    expect(resumed.stopped).toBe(false);
    expect(resumed.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(weightsOf(resumed.model)).toEqual(weightsOf(straight.model));
  });

  test('when a stop is requested by a timer mid-epoch, then the loop sees it before the epoch ends and saves a resumable checkpoint', async () => {
    let stop = false;
    let scheduled = false;
    const result = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters,
      backend: 'wasm',
      data: null,
      progressIntervalMs: 0,
      // Like a SIGINT handler: the flag is raised by a callback that only the event loop can run.
      onBatch: () => {
        if (!scheduled) setImmediate(() => (stop = true));
        scheduled = true;
      },
      shouldStop: () => stop,
    });
    expect(result.stopped).toBe(true);
    const saved = await loadCheckpoint(result.checkpoint!);
    expect(saved.metadata?.epoch).toBe(0);
    expect(saved.metadata?.batchesIntoEpoch).toBeGreaterThan(0);
    expect(saved.metadata?.batchesIntoEpoch).toBeLessThan(20);
  });

  test('when the loss becomes non-finite, then a TrainingDivergedError names the epoch and batch, and the last checkpoint stays the finite one', async () => {
    const first = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters: { ...hyperparameters, epochs: 1 },
      backend: 'wasm',
      data: null,
    });
    const resume = await loadCheckpoint(first.checkpoint!, { withOptimizer: true });
    const failure = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters: { ...hyperparameters, epochs: 2, learningRate: 1e308, lrSchedule: 'constant' },
      backend: 'wasm',
      data: null,
      resume,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TrainingDivergedError);
    expect(failure).toMatchObject({ name: 'TrainingDivergedError', code: 'TRAINING_NON_FINITE_LOSS', epoch: 2 });
    expect((failure as Error).message).toMatch(/epoch 2, batch \d+ .*lower --lr/);
    const kept = await loadCheckpoint(path.join(outputDir, 'checkpoint'));
    expect(kept.metadata).toMatchObject({ epoch: 1, batchesIntoEpoch: 0 });
    expect(kept.model.getWeights().every((w) => w.dataSync().every(Number.isFinite))).toBe(true);
  });

  test('when training several epochs, then the number of live tensors stays flat and each epoch reports peak RSS', async () => {
    const tensors: number[] = [];
    const reports: number[] = [];
    await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters: { ...hyperparameters, epochs: 3 },
      backend: 'wasm',
      data: null,
      onEpoch: (report) => {
        tensors.push(tf.memory().numTensors);
        reports.push(report.rss_peak_mb);
      },
    });
    expect(tensors[2]).toBe(tensors[1]);
    expect(Math.min(...reports)).toBeGreaterThan(10);
  });

  test('when workers is not a whole number of at least 1, then train refuses with a TrainingOptionError naming the field', async () => {
    for (const workers of [0, 1.5, Number.NaN]) {
      const failure = await train({
        train: trainSet,
        test: testSet,
        outputDir,
        hyperparameters,
        backend: 'wasm',
        data: null,
        workers,
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TrainingOptionError);
      expect((failure as Error).message).toMatch(/^workers: expected a whole number of at least 1, found /);
    }
  });
});
