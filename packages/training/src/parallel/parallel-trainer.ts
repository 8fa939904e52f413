import * as tf from '@tensorflow/tfjs-core';
import * as path from 'node:path';
import { MODEL_INPUT_VALUES } from '@lenet/digit';
import { predictBatches, summariseEvaluation } from '../evaluate';
import type { Examples } from '../examples';
import type { TrainStepOptions } from '../train-step';
import { optimizerForSaving, type Trainer } from '../trainer';
import type { GradientWorkerData } from './protocol';
import { SharedSgd } from './shared-sgd';
import { loadWeights, replicaOf, sliceGradients } from './slice-gradients';
import { slicesOf, WorkerSlots } from './worker-slots';

/**
 * The compiled worker script: always the JavaScript in dist/, also when this file runs as TypeScript
 * under ts-jest (src/parallel/ -> dist/parallel/), since worker_threads cannot load .ts; `tsc -b`
 * runs before jest.
 */
export const GRADIENT_WORKER_SCRIPT = path.resolve(__dirname, '..', '..', 'dist', 'parallel', 'gradient-worker.js');

/** Options for {@link createParallelTrainer}. */
export interface ParallelTrainerOptions extends TrainStepOptions {
  /** Threads computing gradients (>= 2): the calling thread and `workers - 1` worker threads, each with a replica. */
  workers: number;
  /** Backend each worker selects: the main thread's. */
  backend: string;
  /** Largest batch that will be run. */
  maxBatchSize: number;
  /** Evaluation set, copied once into shared memory. */
  test: Examples;
  /** Script to run instead of {@link GRADIENT_WORKER_SCRIPT} (tests wrap it to make a worker die). */
  script?: string;
}

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(4, bytes));
}

/**
 * Data-parallel trainer over `workers` threads: the calling thread and `workers - 1` worker threads.
 * Every step each computes the gradient of its slice of the batch with the shared weights (the calling
 * thread takes the first slice while the others work, so a step needs one thread wake-up, not three);
 * the slices' gradients are combined by example count, giving the full-batch gradient, and one
 * SGD-momentum update is applied here, once. Weights, gradients and batches travel through
 * SharedArrayBuffers; messages carry only offsets and figures. The optimizer state for checkpoints is
 * laid out as the one-thread path's. A worker that fails or exits rejects the step in flight, and every
 * later call, with a TrainingWorkerError; no update is applied for that step.
 *
 * @example
 * const trainer = await createParallelTrainer({ model, learningRate: 0.025, momentum: 0.9, weightDecay: 1e-4,
 *   workers: 2, backend: 'wasm', maxBatchSize: 64, test });
 * await trainer.run(batch.inputs, batch.labels); // { loss: 2.29, correct: 9 }
 * await trainer.close();
 */
export async function createParallelTrainer(options: ParallelTrainerOptions): Promise<Trainer> {
  const { test } = options;
  const own = replicaOf(options.model);
  const sgd = new SharedSgd(own.variables, options);
  const inputs = new Float32Array(shared(options.maxBatchSize * MODEL_INPUT_VALUES * 4));
  const labels = new Int32Array(shared(options.maxBatchSize * 4));
  const testInputs = new Float32Array(shared(test.count * MODEL_INPUT_VALUES * 4));
  const testLabels = new Uint8Array(shared(test.count));
  const predictions = new Int32Array(shared(test.count * 4));
  testInputs.set(test.inputs.subarray(0, test.count * MODEL_INPUT_VALUES));
  testLabels.set(test.labels.subarray(0, test.count));
  // gradients[0] is the calling thread's; gradients[i] belongs to worker thread i.
  const gradients = Array.from({ length: options.workers }, (_, i) =>
    i === 0 ? new Float32Array(sgd.parameterCount) : new Float32Array(shared(sgd.parameterCount * 4)),
  );
  const slots = await WorkerSlots.start(
    options.script ?? GRADIENT_WORKER_SCRIPT,
    gradients.slice(1).map(
      (gradient): GradientWorkerData => ({
        backend: options.backend,
        weights: sgd.buffer,
        gradients: gradient.buffer as SharedArrayBuffer,
        inputs: inputs.buffer as SharedArrayBuffer,
        labels: labels.buffer as SharedArrayBuffer,
        testInputs: testInputs.buffer as SharedArrayBuffer,
        testLabels: testLabels.buffer as SharedArrayBuffer,
        predictions: predictions.buffer as SharedArrayBuffer,
      }),
    ),
    sgd.parameterCount,
  );

  let loaded = sgd.version;
  const syncOwn = () => {
    if (loaded === sgd.version) return;
    loadWeights(own, sgd.weights);
    loaded = sgd.version;
  };
  let ownBusyMs = 0;
  let since = performance.now();
  return {
    workers: options.workers,
    setLearningRate: (learningRate) => sgd.setLearningRate(learningRate),
    restoreOptimizer: (weights) => sgd.restore(weights),
    checkpointState: async () => {
      syncOwn();
      return optimizerForSaving(await sgd.toOptimizer());
    },
    run: async (batchInputs, batchLabels) => {
      const size = batchLabels.length;
      inputs.set(batchInputs);
      labels.set(batchLabels);
      const [first, ...rest] = slicesOf(size, options.workers);
      const pending = slots.dispatch('step', sgd.version, rest);
      const started = performance.now();
      syncOwn();
      const mine =
        first === undefined || first.size === 0
          ? null
          : sliceGradients(own, inputs, labels, first.start, first.size, gradients[0] as Float32Array);
      ownBusyMs += performance.now() - started;
      const replies = await pending;
      const used: Float32Array[] = [];
      const shares: number[] = [];
      let loss = 0;
      let correct = 0;
      const add = (part: number, result: { loss: number; correct: number }, gradient: Float32Array) => {
        used.push(gradient);
        shares.push(part / size);
        loss += (part / size) * result.loss;
        correct += result.correct;
      };
      if (mine !== null && first !== undefined) add(first.size, mine, gradients[0] as Float32Array);
      replies.forEach((reply, i) => {
        if (reply?.type === 'stepped') add(reply.size, reply, gradients[i + 1] as Float32Array);
      });
      sgd.apply(used, shares);
      return { loss, correct };
    },
    evaluate: async () => {
      const [first, ...rest] = slicesOf(test.count, options.workers);
      const pending = slots.dispatch('evaluate', sgd.version, rest);
      syncOwn();
      let lossSum = 0;
      if (first !== undefined && first.size > 0) {
        const mine = predictBatches(own.model, testInputs, testLabels, first.start, first.size);
        predictions.set(mine.predicted, first.start);
        lossSum += mine.lossSum;
      }
      const replies = await pending;
      lossSum += replies.reduce((sum, reply) => sum + (reply?.type === 'evaluated' ? reply.lossSum : 0), 0);
      return summariseEvaluation(testLabels, predictions, lossSum);
    },
    utilisation: () => {
      const now = performance.now();
      const busy = [ownBusyMs, ...slots.takeBusyMs()];
      ownBusyMs = 0;
      const fractions = busy.map((ms) => ms / Math.max(1e-9, now - since));
      since = now;
      return fractions;
    },
    tensorCounts: () => [tf.memory().numTensors, ...slots.tensorCounts()],
    close: async () => {
      sgd.dispose();
      await slots.close();
    },
  };
}
