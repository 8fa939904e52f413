import type * as tfl from '@tensorflow/tfjs-layers';
import * as path from 'node:path';
import { createLenet } from '@lenet/model';
import { PREPROCESSING } from '@lenet/digit';
import {
  saveCheckpoint,
  type CheckpointMetadata,
  type EpochRecord,
  type Hyperparameters,
  type LoadedCheckpoint,
} from '@lenet/checkpoint';
import { gatherBatch, MAX_SHIFT, type Examples } from './examples';
import { epochOrder, mulberry32 } from './shuffle';
import { createTrainStep } from './train-step';
import { evaluate } from './evaluate';

/** Progress inside an epoch, for a progress bar. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/**
 * Learning rate of epoch `epoch` (1-based): constant, or cosine-annealed from `learningRate` towards 0.
 *
 * @example
 * learningRateAt({ ...hp, learningRate: 0.025, epochs: 30, lrSchedule: 'cosine' }, 16); // 0.0125 (about)
 */
export function learningRateAt(hp: Hyperparameters, epoch: number): number {
  if (hp.lrSchedule === 'constant') return hp.learningRate;
  return hp.learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / hp.epochs));
}

/** Random shifts for one batch, seeded by run, epoch and batch so that a resumed run draws the same ones. */
function shiftFor(hp: Hyperparameters, epoch: number, batch: number): (() => number) | undefined {
  if (hp.augment === 'none') return undefined;
  const random = mulberry32((hp.seed * 7919 + epoch * 104_729 + batch * 13) >>> 0);
  return () => Math.floor(random() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
}

/** Options for {@link train}. */
export interface TrainOptions {
  train: Examples;
  test: Examples;
  /** Run folder: `checkpoint/` (latest), `epoch-N/` milestones. */
  outputDir: string;
  hyperparameters: Hyperparameters;
  /** Backend name recorded in checkpoint metadata. */
  backend: string;
  data: CheckpointMetadata['data'];
  /** Continue from this checkpoint (loaded with its optimizer state). */
  resume?: LoadedCheckpoint;
  /** Polled after every batch; true stops the run after saving a resumable checkpoint. */
  shouldStop?: () => boolean;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (record: EpochRecord) => void;
  onCheckpoint?: (directory: string) => void;
  /** Milliseconds between onBatch calls (default 200). */
  progressIntervalMs?: number;
}

/** How a run ended. */
export interface TrainResult {
  model: tfl.LayersModel;
  history: EpochRecord[];
  /** True when shouldStop ended the run early. */
  stopped: boolean;
  /** Latest checkpoint written. */
  checkpoint: string | null;
}

/**
 * Trains LeNet with SGD + momentum: per epoch a seeded shuffle, mini-batches, then an evaluation on the
 * test examples. Writes `checkpoint/` after every epoch and `epoch-N/` every `checkpointEvery` epochs,
 * atomically, with optimizer state so {@link TrainOptions.resume} continues exactly, also mid-epoch.
 *
 * @example
 * const result = await train({ train, test, outputDir: 'output', hyperparameters, backend: 'wasm', data: null });
 * result.history.at(-1); // { epoch: 30, testAccuracy: 0.9835, ... }
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { hyperparameters: hp, resume } = options;
  const model = resume?.model ?? createLenet({ seed: hp.seed });
  const step = createTrainStep({
    model,
    learningRate: hp.learningRate,
    momentum: hp.momentum,
    weightDecay: hp.weightDecay,
  });
  if (resume?.optimizerWeights) await step.optimizer.setWeights(resume.optimizerWeights);
  const history: EpochRecord[] = [...(resume?.metadata?.history ?? [])];
  const firstEpoch = (resume?.metadata?.epoch ?? 0) + 1;
  let skipBatches = resume?.metadata?.batchesIntoEpoch ?? 0;
  let checkpoint: string | null = null;
  const interval = options.progressIntervalMs ?? 200;

  const save = async (directory: string, epoch: number, batchesIntoEpoch: number) => {
    const last = history.at(-1);
    const metadata: CheckpointMetadata = {
      format: 'lenet-checkpoint/1',
      epoch,
      batchesIntoEpoch,
      metrics: last === undefined ? null : { loss: last.testLoss, accuracy: last.testAccuracy },
      history,
      preprocessing: PREPROCESSING,
      backend: options.backend,
      hyperparameters: hp,
      data: options.data,
      savedAt: new Date().toISOString(),
    };
    await saveCheckpoint(directory, { model, optimizer: step.optimizer, metadata });
    options.onCheckpoint?.(directory);
    return directory;
  };

  for (let epoch = firstEpoch; epoch <= hp.epochs; epoch += 1) {
    const order = epochOrder(options.train.count, hp.seed, epoch);
    const batches = Math.ceil(options.train.count / hp.batchSize);
    step.optimizer.setLearningRate(learningRateAt(hp, epoch));
    const started = performance.now();
    let lastReport = started;
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    for (let batch = skipBatches; batch < batches; batch += 1) {
      const start = batch * hp.batchSize;
      const size = Math.min(hp.batchSize, options.train.count - start);
      const { inputs, labels } = gatherBatch(options.train, order, start, size, shiftFor(hp, epoch, batch));
      const result = step.run(inputs, labels);
      seen += size;
      lossSum += result.loss * size;
      correct += result.correct;
      const now = performance.now();
      if (options.onBatch !== undefined && (now - lastReport >= interval || batch === batches - 1)) {
        lastReport = now;
        options.onBatch({
          epoch,
          batch: batch + 1,
          batches,
          loss: lossSum / seen,
          accuracy: correct / seen,
          imagesPerSecond: seen / ((now - started) / 1000),
        });
      }
      if (options.shouldStop?.() === true && batch < batches - 1) {
        checkpoint = await save(path.join(options.outputDir, 'checkpoint'), epoch - 1, batch + 1);
        return { model, history, stopped: true, checkpoint };
      }
    }
    skipBatches = 0;
    const trainSeconds = (performance.now() - started) / 1000;
    const evaluation = evaluate(model, options.test);
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: seen / trainSeconds,
    };
    history.push(record);
    options.onEpoch?.(record);
    checkpoint = await save(path.join(options.outputDir, 'checkpoint'), epoch, 0);
    if (epoch % hp.checkpointEvery === 0) await save(path.join(options.outputDir, `epoch-${epoch}`), epoch, 0);
    if (options.shouldStop?.() === true && epoch < hp.epochs) return { model, history, stopped: true, checkpoint };
  }
  return { model, history, stopped: false, checkpoint };
}
