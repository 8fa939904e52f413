/**
 * Worker thread: its own TensorFlow.js backend and copy of the model. Decodes, preprocesses and
 * classifies batches of uploaded images sent by the main thread's pool, so neither decoding nor
 * inference ever runs on the event loop that serves HTTP.
 *
 * Runs as compiled JavaScript (dist/worker/inference-worker.js): worker_threads cannot load .ts.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend, describeBackend } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { type ImageDecoder, ImageError, preprocessImage, selectDecoder } from '@lenet/image';
import { predictProbabilities } from '@lenet/model';
import { CLASS_COUNT, MODEL_INPUT_VALUES } from '@lenet/digit';
import { isReleased, markDecoding } from './decode-budget';
import type { BatchRequest, ItemResult, WorkerData, WorkerMessage } from './protocol';

const settings = workerData as WorkerData;
const port: MessagePort = parentPort ?? failOutsideWorker();

function failOutsideWorker(): never {
  throw new Error('inference-worker: expected to run in a worker thread, found the main thread');
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

function errorData(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'WORKER_START_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
}

async function start(): Promise<void> {
  // Production mode skips debug checks on every op; the main thread logs which backend was chosen.
  tf.enableProdMode();
  const choice = await selectBackend(settings.backend);
  // Chosen once per worker; an explicit choice that cannot be met fails start-up (DECODER_UNAVAILABLE).
  const { decoder, description } = selectDecoder(settings.decoder);
  const checkpoint = await loadCheckpoint(settings.model);
  const { model } = checkpoint;
  // Warm-up: the first call at each size compiles kernels and allocates; pay that before the port opens.
  for (const size of new Set([1, settings.maxBatch]))
    predictProbabilities(model, new Float32Array(size * MODEL_INPUT_VALUES), size);

  // classify() catches per image; a rejection here is a bug, and as an unhandled rejection it ends
  // this thread, whose pool then answers its requests with 503 and starts a replacement.
  port.on('message', (request: BatchRequest) => {
    // Taken back while this worker was stuck on an earlier image, and sent to another worker.
    if (isReleased(settings.progress, request.id)) return;
    void classify(model, decoder, request).then(post);
  });
  post({
    type: 'ready',
    backend: describeBackend(choice),
    decoder: description,
    epoch: checkpoint.metadata?.epoch ?? null,
    testAccuracy: checkpoint.metadata?.metrics?.accuracy ?? null,
    classNames: checkpoint.metadata?.classNames ?? null,
    weightsHash: checkpoint.weightsHash,
    numTensors: tf.memory().numTensors,
  });
}

async function classify(model: tfl.LayersModel, decoder: ImageDecoder, request: BatchRequest): Promise<WorkerMessage> {
  const results: ItemResult[] = new Array(request.items.length);
  const preprocessSeconds: number[] = [];
  const inputs = new Float32Array(request.items.length * MODEL_INPUT_VALUES);
  const slots: number[] = [];
  const shapes: Array<{ format: string; width: number; height: number }> = [];
  for (let i = 0; i < request.items.length; i += 1) {
    const item = request.items[i];
    if (item === undefined) continue;
    const started = performance.now();
    markDecoding(settings.progress, request.id, i);
    try {
      const image = await preprocessImage(new Uint8Array(item.bytes), {
        name: item.name,
        maxPixels: settings.maxPixels,
        decoder,
      });
      inputs.set(image.input, slots.length * MODEL_INPUT_VALUES);
      slots.push(i);
      shapes.push({ format: image.format, width: image.width, height: image.height });
    } catch (error) {
      // Anything a decoder throws on hostile bytes is the image's fault, not the server's.
      results[i] = {
        ok: false,
        error:
          error instanceof ImageError
            ? { code: error.code, message: error.message }
            : {
                code: 'IMAGE_DECODE_FAILED',
                message: `${item.name}: could not decode the image (${errorData(error).message})`,
              },
      };
    }
    preprocessSeconds.push((performance.now() - started) / 1000);
  }
  markDecoding(settings.progress, request.id, -1);
  let inferenceSeconds = 0;
  if (slots.length > 0) {
    const started = performance.now();
    const probabilities = predictProbabilities(
      model,
      inputs.subarray(0, slots.length * MODEL_INPUT_VALUES),
      slots.length,
    );
    inferenceSeconds = (performance.now() - started) / 1000;
    slots.forEach((slot, n) => {
      results[slot] = {
        ok: true,
        probabilities: probabilities.slice(n * CLASS_COUNT, (n + 1) * CLASS_COUNT),
        ...(shapes[n] ?? { format: 'unknown', width: 0, height: 0 }),
      };
    });
  }
  return {
    type: 'result',
    id: request.id,
    results,
    preprocessSeconds,
    inferenceSeconds,
    numTensors: tf.memory().numTensors,
  };
}

start().catch((error: unknown) => post({ type: 'failed', error: errorData(error) }));
