/**
 * A gradient worker: holds a LeNet replica, and for each request computes the gradient of its slice of
 * the batch (or the predictions for its slice of the evaluation set) with the shared weights. It never
 * updates weights itself: the main thread applies one update for the whole batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend, type BackendRequest } from '@lenet/backend';
import { createLenet } from '@lenet/model';
import { predictBatches } from '../evaluate';
import type { GradientWorkerData, WorkerReply, WorkRequest } from './protocol';
import { loadWeights, replicaOf, sliceGradients } from './slice-gradients';

const data = workerData as GradientWorkerData;
const port = (() => {
  if (parentPort === null) throw new Error('gradient-worker.js must run in a worker thread');
  return parentPort;
})();
const reply = (message: WorkerReply) => port.postMessage(message);

async function start(): Promise<void> {
  tf.enableProdMode();
  await selectBackend(data.backend as BackendRequest);
  const replica = replicaOf(createLenet({ seed: 1 }));
  const weights = new Float32Array(data.weights);
  const gradients = new Float32Array(data.gradients);
  const inputs = new Float32Array(data.inputs);
  const labels = new Int32Array(data.labels);
  let version = -1;

  port.on('message', (request: WorkRequest) => {
    const started = performance.now();
    try {
      if (request.version !== version) {
        loadWeights(replica, weights);
        version = request.version;
      }
      if (request.type === 'step') {
        const result = sliceGradients(replica, inputs, labels, request.start, request.size, gradients);
        const busyMs = performance.now() - started;
        reply({ type: 'stepped', size: request.size, ...result, busyMs, numTensors: tf.memory().numTensors });
        return;
      }
      if (data.testInputs === null || data.testLabels === null || data.predictions === null) {
        throw new Error('evaluate: this worker was started without an evaluation set');
      }
      const { lossSum, predicted } = predictBatches(
        replica.model,
        new Float32Array(data.testInputs),
        new Uint8Array(data.testLabels),
        request.start,
        request.size,
      );
      new Int32Array(data.predictions).set(predicted, request.start);
      reply({ type: 'evaluated', lossSum, busyMs: performance.now() - started, numTensors: tf.memory().numTensors });
    } catch (error) {
      reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
  reply({ type: 'ready', parameterCount: replica.parameterCount });
}

start().catch((error: unknown) => {
  reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
});
