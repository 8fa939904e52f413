/**
 * The checkpoint run in this page with TensorFlow.js. This module is the root of the lazily loaded
 * chunk: TensorFlow.js is fetched only when the person switches to in-browser mode.
 *
 * Only tfjs-core, tfjs-layers and the CPU backend are bundled. One 32x32 LeNet forward pass takes a
 * few milliseconds on the CPU backend, and it runs the same in headless Chromium without a GPU;
 * WebGL would roughly double the chunk for no gain at this size.
 */
import {
  enableProdMode,
  getBackend,
  io,
  ready,
  setBackend,
  softmax,
  tensor4d,
  tidy,
  type Tensor,
} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { MODEL_INPUT_SIZE } from '@lenet/digit';
import { PageError } from './errors';
import type { ModelIdentity } from './prediction';

/** The TensorFlow.js backend the page runs the model on. */
export const BROWSER_BACKEND = 'cpu';
const WARM_UP_CALLS = 3;

/** A loaded checkpoint, ready to classify one model input at a time. */
export interface BrowserModel {
  readonly identity: ModelIdentity;
  /** The TensorFlow.js backend it runs on. */
  readonly backend: string;
  /** Milliseconds spent fetching and building the model. */
  readonly loadMs: number;
  /** Class probabilities (softmax of the logits) for one 1024-float model input, and the time it took. */
  classify(input: Float32Array): { probabilities: Float32Array; ms: number };
}

interface LenetModelJson extends io.ModelJSON {
  userDefinedMetadata?: { lenet?: { epoch?: unknown } };
}

/**
 * Fetches `model.json` and its weight files from `url` (resolved against the page) and builds the
 * LeNet on the CPU backend. The weights hash is read from the weight file's content-hashed name,
 * exactly as the server reports it, so the page can show both sides use the same checkpoint.
 *
 * @throws PageError (`MODEL_LOAD_FAILED`) naming the file that could not be fetched or read
 * @example
 * const model = await loadBrowserModel('model/model.json');
 * model.identity; // { epoch: 3, weightsHash: '8e1508ff8b20' }
 * model.classify(input).probabilities.length; // 10
 */
export async function loadBrowserModel(url: string): Promise<BrowserModel> {
  const started = performance.now();
  const modelUrl = new URL(url, document.baseURI);
  enableProdMode();
  await setBackend(BROWSER_BACKEND);
  await ready();
  const modelJson = (await fetchChecked(modelUrl, 'json')) as LenetModelJson;
  const paths = modelJson.weightsManifest?.flatMap((group) => group.paths) ?? [];
  const handler: io.IOHandler = {
    load: () =>
      io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = await Promise.all(paths.map((path) => fetchChecked(new URL(path, modelUrl), 'bytes')));
        return [manifest.flatMap((group) => group.weights), buffers as ArrayBuffer[]];
      }),
  };
  const model = await loadLayersModel(handler).catch((error: unknown) => {
    throw new PageError('MODEL_LOAD_FAILED', `${modelUrl.pathname}: could not build the model (${String(error)})`, {
      cause: error,
    });
  });
  const epoch = modelJson.userDefinedMetadata?.lenet?.epoch;
  const identity: ModelIdentity = {
    epoch: typeof epoch === 'number' ? epoch : null,
    weightsHash: /\.([0-9a-f]{16})\.bin$/.exec(paths[0] ?? '')?.[1]?.slice(0, 12) ?? null,
  };
  const classify = (input: Float32Array) => {
    const start = performance.now();
    const probabilities = tidy(() => {
      const logits = model.predict(tensor4d(input, [1, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1])) as Tensor;
      return softmax(logits).dataSync() as Float32Array;
    });
    return { probabilities, ms: performance.now() - start };
  };
  // The first calls allocate buffers and get the kernels compiled by the JavaScript engine (about
  // 30 ms, settling to a few ms); warm up so the time shown is closer to the steady one.
  for (let i = 0; i < WARM_UP_CALLS; i += 1) classify(new Float32Array(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE));
  return { identity, backend: getBackend(), loadMs: performance.now() - started, classify };
}

async function fetchChecked(url: URL, as: 'json' | 'bytes'): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new PageError('MODEL_LOAD_FAILED', `${url.pathname}: could not reach the server (${String(error)})`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new PageError(
      'MODEL_LOAD_FAILED',
      `${url.pathname}: expected HTTP 200, found ${response.status} ${response.statusText}`.trim(),
    );
  }
  try {
    return as === 'json' ? await response.json() : await response.arrayBuffer();
  } catch (error) {
    throw new PageError(
      'MODEL_LOAD_FAILED',
      `${url.pathname}: expected ${as === 'json' ? 'JSON' : 'weight bytes'}, found an unreadable body`,
      { cause: error },
    );
  }
}
