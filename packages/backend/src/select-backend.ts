import * as tf from '@tensorflow/tfjs-core';
// The pure-JS backend is the last fallback. The @tensorflow/tfjs bundle registered it as a side effect;
// we depend on tfjs-core alone (a third of the install), so it is registered here for every command.
// (tfjs-core's gradient functions come with @tensorflow/tfjs-layers, which every command loads.)
import '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError } from './errors';
import { registerForwardConvGradients } from './conv2d-gradients';
import { registerTransposeFreeMatMulGradient } from './matmul-gradient';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad';
import { registerWasmSharedCopies } from './wasm-shared-copies';

/** What a user may ask for with `--backend`: the one list of backends in the project. */
export const BACKEND_REQUESTS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
/** One of {@link BACKEND_REQUESTS}. */
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
/** The backends this project runs on. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** The backend in use and how it was chosen, for the line every command prints at start. */
export interface BackendChoice {
  name: BackendName;
  requested: BackendRequest;
  /** npm package that provides it. */
  packageName: string;
  /** Why faster backends were passed over (empty when the first choice worked). */
  skipped: string[];
}

/** Native TensorFlow packages in order of preference; optional dependencies that may be absent. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function tryTensorflow(): Promise<{ packageName: string } | { reasons: string[] }> {
  const reasons: string[] = [];
  for (const packageName of NATIVE_PACKAGES) {
    try {
      // Loaded lazily: they are optional dependencies whose install fails where libtensorflow cannot be downloaded.
      require(packageName);
      if (await tf.setBackend('tensorflow')) return { packageName };
      reasons.push(`${packageName}: loaded but the 'tensorflow' backend did not initialise`);
    } catch (error) {
      const missing =
        (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && firstLine(error).includes(`'${packageName}'`);
      reasons.push(`${packageName}: ${missing ? 'not installed' : firstLine(error)}`);
    }
  }
  return { reasons };
}

async function tryWasm(): Promise<string | null> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return '@tensorflow/tfjs-backend-wasm: did not initialise';
    // WASM lacks Conv2DBackpropFilter; training needs our forward-convolution gradients. The
    // transpose-free matmul gradient, the 2x2 max-pool kernel and the copy-free Identity and Cast
    // are speed-ups on the same backend.
    registerForwardConvGradients();
    registerTransposeFreeMatMulGradient();
    registerWasmMaxPoolGrad();
    registerWasmSharedCopies();
    return null;
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm: ${firstLine(error)}`;
  }
}

/**
 * Chooses and initialises the TensorFlow.js backend. `auto` takes the native TensorFlow binding when its
 * optional package installed (GPU build first), else WASM, else the pure-JS `cpu` backend, and reports
 * what it passed over and why, so the slow path is never taken silently. An explicit request that
 * cannot be met is a {@link BackendUnavailableError}, never a silent fallback.
 *
 * @example
 * const choice = await selectBackend('auto');
 * // { name: 'wasm', requested: 'auto', packageName: '@tensorflow/tfjs-backend-wasm',
 * //   skipped: ["@tensorflow/tfjs-node-gpu: not installed", "@tensorflow/tfjs-node: not installed"] }
 */
export async function selectBackend(requested: BackendRequest): Promise<BackendChoice> {
  if (!(BACKEND_REQUESTS as readonly string[]).includes(requested)) {
    throw new BackendUnavailableError(
      `--backend: expected one of ${BACKEND_REQUESTS.join(', ')}, found '${String(requested)}'`,
    );
  }
  const skipped: string[] = [];
  if (requested === 'auto' || requested === 'tensorflow') {
    const native = await tryTensorflow();
    if ('packageName' in native)
      return done({ name: 'tensorflow', requested, packageName: native.packageName, skipped });
    if (requested === 'tensorflow') {
      throw new BackendUnavailableError(`backend 'tensorflow' is not available: ${native.reasons.join('; ')}`);
    }
    skipped.push(...native.reasons);
  }
  if (requested === 'auto' || requested === 'wasm') {
    const failure = await tryWasm();
    if (failure === null)
      return done({ name: 'wasm', requested, packageName: '@tensorflow/tfjs-backend-wasm', skipped });
    if (requested === 'wasm') throw new BackendUnavailableError(`backend 'wasm' is not available: ${failure}`);
    skipped.push(failure);
  }
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError("backend 'cpu' did not initialise");
  return done({ name: 'cpu', requested, packageName: '@tensorflow/tfjs-backend-cpu', skipped });
}

async function done(choice: BackendChoice): Promise<BackendChoice> {
  await tf.ready();
  return choice;
}

/**
 * One line for the start of every command, naming the backend and, when it is not the fast one, why.
 *
 * @example
 * describeBackend(choice); // "backend: wasm (@tensorflow/tfjs-backend-wasm; skipped @tensorflow/tfjs-node-gpu: not installed, ...)"
 */
export function describeBackend(choice: BackendChoice): string {
  const slow = choice.name === 'cpu' ? ' - the pure-JS backend is about 100x slower than wasm for training' : '';
  const skipped = choice.skipped.length > 0 ? `; skipped ${choice.skipped.join(', ')}` : '';
  return `backend: ${choice.name} (${choice.packageName}${skipped})${slow}`;
}
