import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as path from 'node:path';
import { createLenet } from '@lenet/model';
import { PREPROCESSING } from '@lenet/digit';
import {
  saveCheckpoint,
  type CheckpointMetadataInput,
  type DataProvenance,
  type EpochRecord,
  type Hyperparameters,
  type LoadedCheckpoint,
} from '@lenet/checkpoint';
import { TrainingDivergedError, TrainingOptionError } from './errors';
import { gatherBatch, type Examples } from './examples';
import { createParallelTrainer } from './parallel/parallel-trainer';
import { learningRateAt, shiftFor } from './schedule';
import { epochOrder } from './shuffle';
import { createSingleTrainer, type Trainer } from './trainer';

/** Progress inside an epoch, for a progress bar. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/** An epoch's record as reported to {@link TrainOptions.onEpoch}: the history entry plus run figures. */
export interface EpochReport extends EpochRecord {
  /** Peak resident memory of the process so far, in MB (worker threads included). */
  rss_peak_mb: number;
  workers: number;
  /** Busy fraction of each worker during the epoch's training. */
  worker_utilisation: number[];
  /** Live tensors on the calling thread and in each worker: flat across epochs unless something leaks. */
  num_tensors: number;
  worker_tensors: number[];
}

/** Options for {@link train}. */
export interface TrainOptions {
  train: Examples;
  test: Examples;
  /** Run folder: `checkpoint/` (latest), `epoch-N/` milestones. */
  outputDir: string;
  hyperparameters: Hyperparameters;
  /** Backend name recorded in checkpoint metadata, and selected by every worker thread. */
  backend: string;
  data: DataProvenance | null;
  /** Names of classes 0..9, stored in every checkpoint's metadata (absent for plain digits). */
  classNames?: string[];
  /** Continue from this checkpoint (loaded with its optimizer state). */
  resume?: LoadedCheckpoint;
  /**
   * Worker threads computing each batch's gradient data-parallel (default 1: the calling thread alone,
   * no workers). The update equals the one-thread update up to float rounding. Needs the compiled dist/.
   */
  workers?: number;
  /** Worker script instead of the compiled gradient worker (tests wrap it to make a worker die). */
  workerScript?: string;
  /** Polled after every batch; true stops the run after saving a resumable checkpoint. */
  shouldStop?: () => boolean;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (record: EpochReport) => void;
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

/** Lets timers, signals and I/O run between batches, so a Ctrl-C is seen mid-epoch. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function weightsAreFinite(model: tfl.LayersModel): boolean {
  return model.getWeights().every((weight) => (weight.dataSync() as Float32Array).every(Number.isFinite));
}

/**
 * Trains LeNet with SGD + momentum: per epoch a seeded shuffle, mini-batches, then an evaluation on the
 * test examples. Writes `checkpoint/` after every epoch and `epoch-N/` every `checkpointEvery` epochs,
 * atomically, with optimizer state so {@link TrainOptions.resume} continues exactly, also mid-epoch.
 * A non-finite loss (or weights) ends the run with a {@link TrainingDivergedError} before anything is saved.
 *
 * @example
 * const result = await train({ train, test, outputDir: 'output', hyperparameters, backend: 'wasm', data: null, workers: 2 });
 * result.history.at(-1); // { epoch: 30, testAccuracy: 0.9835, ... }
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { hyperparameters: hp, resume } = options;
  const model = resume?.model ?? createLenet({ seed: hp.seed });
  const stepOptions = { model, learningRate: hp.learningRate, momentum: hp.momentum, weightDecay: hp.weightDecay };
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new TrainingOptionError(`workers: expected a whole number of at least 1, found ${workers}`);
  }
  const trainer: Trainer =
    workers <= 1
      ? createSingleTrainer(stepOptions, options.test)
      : await createParallelTrainer({
          ...stepOptions,
          workers,
          backend: options.backend,
          maxBatchSize: hp.batchSize,
          test: options.test,
          script: options.workerScript,
        });
  try {
    return await trainWith(trainer, model, options);
  } finally {
    await trainer.close();
  }
}

async function trainWith(trainer: Trainer, model: tfl.LayersModel, options: TrainOptions): Promise<TrainResult> {
  const { hyperparameters: hp, resume } = options;
  if (resume?.optimizerWeights) await trainer.restoreOptimizer(resume.optimizerWeights);
  const history: EpochRecord[] = [...(resume?.metadata?.history ?? [])];
  const firstEpoch = (resume?.metadata?.epoch ?? 0) + 1;
  let skipBatches = resume?.metadata?.batchesIntoEpoch ?? 0;
  let checkpoint: string | null = null;
  const interval = options.progressIntervalMs ?? 200;

  /** Saves atomically; refuses diverged weights, so the previous checkpoint stays the last finite one. */
  const save = async (
    directory: string,
    epoch: number,
    batchesIntoEpoch: number,
    at: { batch: number; loss: number },
  ) => {
    const state = await trainer.checkpointState();
    try {
      const trainingEpoch = batchesIntoEpoch > 0 ? epoch + 1 : epoch;
      if (!Number.isFinite(at.loss) || !weightsAreFinite(model)) {
        throw new TrainingDivergedError(trainingEpoch, at.batch, at.loss, learningRateAt(hp, trainingEpoch));
      }
      const last = history.at(-1);
      const metadata: CheckpointMetadataInput = {
        epoch,
        batchesIntoEpoch,
        metrics: last === undefined ? null : { loss: last.testLoss, accuracy: last.testAccuracy },
        history,
        preprocessing: PREPROCESSING,
        backend: options.backend,
        hyperparameters: hp,
        data: options.data,
        savedAt: new Date().toISOString(),
        ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
      };
      await saveCheckpoint(directory, { model, optimizer: state.optimizer, metadata });
    } finally {
      state.release();
    }
    options.onCheckpoint?.(directory);
    return directory;
  };

  for (let epoch = firstEpoch; epoch <= hp.epochs; epoch += 1) {
    const order = epochOrder(options.train.count, hp.seed, epoch);
    const batches = Math.ceil(options.train.count / hp.batchSize);
    trainer.setLearningRate(learningRateAt(hp, epoch));
    const started = performance.now();
    trainer.utilisation();
    let lastReport = started;
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    const batchAt = (batch: number) => {
      const start = batch * hp.batchSize;
      const size = Math.min(hp.batchSize, options.train.count - start);
      return gatherBatch(options.train, order, start, size, shiftFor(hp, epoch, batch));
    };
    let next = skipBatches < batches ? batchAt(skipBatches) : null;
    for (let batch = skipBatches; batch < batches && next !== null; batch += 1) {
      const { inputs, labels } = next;
      const size = labels.length;
      // Workers get the batch when run() starts; the next one is gathered while they compute.
      const pending = trainer.run(inputs, labels);
      next = batch + 1 < batches ? batchAt(batch + 1) : null;
      const result = await pending;
      if (!Number.isFinite(result.loss)) {
        throw new TrainingDivergedError(epoch, batch + 1, result.loss, learningRateAt(hp, epoch));
      }
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
      await yieldToEventLoop();
      if (options.shouldStop?.() === true && batch < batches - 1) {
        const at = { batch: batch + 1, loss: result.loss };
        checkpoint = await save(path.join(options.outputDir, 'checkpoint'), epoch - 1, batch + 1, at);
        return { model, history, stopped: true, checkpoint };
      }
    }
    skipBatches = 0;
    const trainSeconds = (performance.now() - started) / 1000;
    const utilisation = trainer.utilisation();
    const evaluation = await trainer.evaluate();
    if (!Number.isFinite(evaluation.loss) && evaluation.count > 0) {
      throw new TrainingDivergedError(epoch, batches, evaluation.loss, learningRateAt(hp, epoch));
    }
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
    options.onEpoch?.({
      ...record,
      rss_peak_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      workers: trainer.workers,
      worker_utilisation: utilisation.map((u) => Number(u.toFixed(3))),
      num_tensors: tf.memory().numTensors,
      worker_tensors: trainer.tensorCounts(),
    });
    const at = { batch: batches, loss: record.trainLoss };
    checkpoint = await save(path.join(options.outputDir, 'checkpoint'), epoch, 0, at);
    if (epoch % hp.checkpointEvery === 0) await save(path.join(options.outputDir, `epoch-${epoch}`), epoch, 0, at);
    if (options.shouldStop?.() === true && epoch < hp.epochs) return { model, history, stopped: true, checkpoint };
  }
  return { model, history, stopped: false, checkpoint };
}
