import * as tf from '@tensorflow/tfjs-core';
import { evaluate, type Evaluation } from './evaluate';
import type { Examples } from './examples';
import { createTrainStep, type StepResult, type TrainStepOptions } from './train-step';

/** What the training loop drives: one thread ({@link createSingleTrainer}) or several (createParallelTrainer). */
export interface Trainer {
  readonly workers: number;
  setLearningRate(learningRate: number): void;
  /** Restores optimizer state saved in a checkpoint (`iter`, then one momentum buffer per weight). */
  restoreOptimizer(weights: Array<{ name: string; tensor: tf.Tensor }>): Promise<void>;
  /**
   * Brings the model's weights up to date and returns an optimizer holding the current state, for
   * `saveCheckpoint`; call `release` once saved.
   */
  checkpointState(): Promise<{ optimizer: tf.Optimizer; release: () => void }>;
  /** One SGD step on the whole batch. */
  run(inputs: Float32Array, labels: Int32Array): Promise<StepResult>;
  /** Evaluates the current weights on the evaluation set given at creation. */
  evaluate(): Promise<Evaluation>;
  /** Busy fraction of each worker since the previous call (or since start). */
  utilisation(): number[];
  /** Live tensors per worker thread (the calling thread's for the one-thread trainer), to watch for leaks. */
  tensorCounts(): number[];
  close(): Promise<void>;
}

/**
 * `optimizer` for one save: tfjs's `getWeights()` makes a new `iter` scalar on every call and nobody
 * disposes it (one leaked tensor per checkpoint, so growth over epochs); this view hands the same
 * weights and disposes those scalars on `release`.
 *
 * @example
 * const state = optimizerForSaving(optimizer);
 * await saveCheckpoint(dir, { model, optimizer: state.optimizer, metadata });
 * state.release();
 */
export function optimizerForSaving(optimizer: tf.Optimizer, release: () => void = () => {}) {
  const made: tf.Tensor[] = [];
  const view = Object.create(optimizer) as tf.Optimizer;
  view.getWeights = async () => {
    const weights = await optimizer.getWeights();
    const iterations = weights.find((weight) => weight.name === 'iter');
    if (iterations !== undefined) made.push(iterations.tensor);
    return weights;
  };
  return {
    optimizer: view,
    release: () => {
      tf.dispose(made);
      release();
    },
  };
}

/**
 * The one-thread trainer: today's step on the calling thread.
 *
 * @example
 * const trainer = createSingleTrainer({ model, learningRate: 0.025, momentum: 0.9, weightDecay: 1e-4 }, test);
 * await trainer.run(batch.inputs, batch.labels); // { loss: 2.29, correct: 9 }
 */
export function createSingleTrainer(options: TrainStepOptions, test: Examples): Trainer {
  const step = createTrainStep(options);
  let busy = 0;
  let since = performance.now();
  return {
    workers: 1,
    setLearningRate: (learningRate) => step.optimizer.setLearningRate(learningRate),
    restoreOptimizer: (weights) => step.optimizer.setWeights(weights),
    checkpointState: async () => optimizerForSaving(step.optimizer),
    run: async (inputs, labels) => {
      const started = performance.now();
      const result = step.run(inputs, labels);
      busy += performance.now() - started;
      return result;
    },
    evaluate: async () => evaluate(options.model, test),
    utilisation: () => {
      const now = performance.now();
      const fraction = busy / Math.max(1e-9, now - since);
      busy = 0;
      since = now;
      return [fraction];
    },
    tensorCounts: () => [tf.memory().numTensors],
    close: async () => {},
  };
}
