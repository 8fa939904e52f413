import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '@lenet/backend';
import { loadCheckpoint, type Hyperparameters } from '@lenet/checkpoint';
import { buildEmbeddedMnist } from '@lenet/data';
import { createLenet } from '@lenet/model';
import { TrainingWorkerError } from '../errors';
import { examplesFromDigits, gatherBatch, type Examples } from '../examples';
import { epochOrder } from '../shuffle';
import { train } from '../train';
import { createSingleTrainer } from '../trainer';
import { createParallelTrainer, GRADIENT_WORKER_SCRIPT } from './parallel-trainer';

// Workers run the compiled dist/parallel/gradient-worker.js: `npx tsc -b` first.
const embedded = buildEmbeddedMnist();
function realDigits(split: 'train' | 'test', count: number): Examples {
  const { images, labels } = embedded[split];
  return examplesFromDigits(images.subarray(0, count * 784), labels.subarray(0, count));
}
const trainSet = realDigits('train', 640);
const testSet = realDigits('test', 200);
const hyperparameters: Hyperparameters = {
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  momentum: 0.9,
  weightDecay: 1e-4,
  checkpointEvery: 100,
  seed: 3,
  limit: null,
  lrSchedule: 'cosine',
  augment: 'shift',
};
const weightsOf = (model: tfl.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

let outputDir: string;
beforeAll(async () => {
  await selectBackend('wasm');
});
beforeEach(async () => {
  outputDir = await mkdtemp(path.join(tmpdir(), 'lenet-parallel-'));
});
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true });
});

describe('createParallelTrainer', () => {
  test('when two steps run on 2 workers and on the calling thread, then weights and momentum agree to 1e-5 and so does the evaluation', async () => {
    const order = epochOrder(trainSet.count, 1, 1);
    const batches = [gatherBatch(trainSet, order, 0, 64), gatherBatch(trainSet, order, 64, 61)];
    const options = { learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3 };
    const singleModel = createLenet({ seed: 4 });
    const single = createSingleTrainer({ model: singleModel, ...options }, testSet);
    const parallelModel = createLenet({ seed: 4 });
    const parallel = await createParallelTrainer({
      model: parallelModel,
      ...options,
      workers: 2,
      backend: 'wasm',
      maxBatchSize: 64,
      test: testSet,
    });
    try {
      const workerTensors: number[][] = [];
      for (const { inputs, labels } of batches) {
        const [a, b] = [await single.run(inputs, labels), await parallel.run(inputs, labels)];
        expect(b.correct).toBe(a.correct);
        expect(b.loss).toBeCloseTo(a.loss, 5);
        workerTensors.push(parallel.tensorCounts());
      }
      // Each worker holds only its replica's weights between steps: no tensor survives a step.
      expect(workerTensors[1]).toEqual(workerTensors[0]);
      expect(workerTensors[0]).toHaveLength(2);
      const [one, two] = [await single.checkpointState(), await parallel.checkpointState()];
      const state = async (optimizer: tf.Optimizer) =>
        Promise.all((await optimizer.getWeights()).map(async (w) => [w.name, Array.from(await w.tensor.data())]));
      const [stateOne, stateTwo] = [await state(one.optimizer), await state(two.optimizer)];
      one.release();
      two.release();
      // Each names its own model's variables (two models in one process get different suffixes).
      expect(stateTwo.map(([name]) => name)).toEqual([
        'iter',
        ...parallelModel.trainableWeights.map((w) => `${(w.read() as tf.Variable).name}/momentum`),
      ]);
      const expected = weightsOf(singleModel);
      const pairs: Array<[number[], number[]]> = [
        ...weightsOf(parallelModel).map((w, i): [number[], number[]] => [w, expected[i]!]),
        ...stateTwo.map(([, v], i): [number[], number[]] => [v as number[], stateOne[i]![1] as number[]]),
      ];
      let worst = 0;
      for (const [got, want] of pairs) got.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - want[k]!))));
      expect(worst).toBeLessThan(1e-5);
      expect(stateOne[0]).toEqual(['iter', [2]]);

      // Evaluation split over the workers: the same predictions as on the calling thread.
      const [evalOne, evalTwo] = [await single.evaluate(), await parallel.evaluate()];
      expect(evalTwo.count).toBe(testSet.count);
      expect(evalTwo.confusion).toEqual(evalOne.confusion);
      expect(evalTwo.loss).toBeCloseTo(evalOne.loss, 5);
    } finally {
      await parallel.close();
    }
  });
});

describe('train with workers', () => {
  test('when a 2-worker run is repeated, and stopped mid-epoch and resumed, then all end with the same weights, with flat tensor counts', async () => {
    const run = (dir: string, extra: Partial<Parameters<typeof train>[0]> = {}) =>
      train({
        train: trainSet,
        test: testSet,
        outputDir: path.join(outputDir, dir),
        hyperparameters: { ...hyperparameters, epochs: 3 },
        backend: 'wasm',
        data: null,
        workers: 2,
        ...extra,
      });
    const tensors: number[] = [];
    const first = await run('first', { onEpoch: () => tensors.push(tf.memory().numTensors) });
    const again = await run('again', { onEpoch: () => tensors.push(tf.memory().numTensors) });
    expect(weightsOf(again.model)).toEqual(weightsOf(first.model));
    expect(first.history[1]!.trainLoss).toBeLessThan(first.history[0]!.trainLoss);
    // The first checkpoint creates the optimizer state once; after that the count stays flat.
    expect([tensors[2], tensors[5]]).toEqual([tensors[1], tensors[4]]);

    let polls = 0;
    // 20 batches per epoch and one poll at its end: poll 24 is after epoch 2's third batch.
    const stopped = await run('stopped', { shouldStop: () => ++polls === 24 });
    const checkpoint = await loadCheckpoint(stopped.checkpoint!, { withOptimizer: true });
    expect(checkpoint.metadata).toMatchObject({ epoch: 1, batchesIntoEpoch: 3 });
    const resumed = await run('stopped', { resume: checkpoint });
    expect(weightsOf(resumed.model)).toEqual(weightsOf(first.model));
  });

  test('when a worker dies mid-run, then the run fails with a TrainingWorkerError and the last checkpoint loads', async () => {
    const script = path.join(outputDir, 'dying-worker.js');
    // The real worker, plus a listener that ends the thread on its 30th step (epoch 2 of 20 steps each).
    await writeFile(
      script,
      `const { parentPort } = require('node:worker_threads');
let steps = 0;
parentPort.on('message', (m) => { if (m.type === 'step' && ++steps === 30) process.exit(7); });
require(${JSON.stringify(GRADIENT_WORKER_SCRIPT)});
`,
    );
    const failure = await train({
      train: trainSet,
      test: testSet,
      outputDir,
      hyperparameters: { ...hyperparameters, checkpointEvery: 1 },
      backend: 'wasm',
      data: null,
      workers: 2,
      workerScript: script,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TrainingWorkerError);
    expect(failure).toMatchObject({ code: 'TRAINING_WORKER_FAILED' });
    expect((failure as Error).message).toMatch(/worker thread 1 of 1 exited with code 7/);
    const kept = await loadCheckpoint(path.join(outputDir, 'checkpoint'), { withOptimizer: true });
    expect(kept.metadata).toMatchObject({ epoch: 1, batchesIntoEpoch: 0 });
  });

  test('when a worker cannot start, then creating the trainer fails with a TrainingWorkerError', async () => {
    const failure = await createParallelTrainer({
      model: createLenet({ seed: 1 }),
      learningRate: 0.1,
      momentum: 0.9,
      weightDecay: 0,
      workers: 2,
      backend: 'no-such-backend',
      maxBatchSize: 8,
      test: testSet,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TrainingWorkerError);
    expect((failure as Error).message).toMatch(/no-such-backend/);
  });
});
