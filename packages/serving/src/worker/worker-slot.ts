import { Worker } from 'node:worker_threads';
import { StartupError } from '../errors';
import { createProgressCell, type DecodeBudgetCode, type DecodingItem } from './decode-budget';
import type { ItemOutcome } from './batch-workers';
import type { WorkerData, WorkerMessage, WorkerSettings, WorkItem } from './protocol';

/** What the workers loaded, as they report it when ready. */
export interface ModelIdentity {
  epoch: number | null;
  /** Test accuracy recorded in the checkpoint (0-1), when it has one. */
  testAccuracy: number | null;
  /** The checkpoint's class names (`label` in answers), when it carries them. */
  classNames: string[] | null;
  weightsHash: string;
  /** `describeBackend` line of the first worker. */
  backend: string;
  /** `image decoder: ...` line of the first worker. */
  decoder: string;
}

/** One worker thread and the batches it has been sent. */
export interface PoolSlot {
  readonly id: number;
  ready: boolean;
  /** Batches sent and not yet answered. */
  inFlight: number;
  numTensors: number;
}

/** A batch sent to a worker and not answered yet. */
export interface PendingBatch {
  items: WorkItem[];
  resolve: (results: ItemOutcome[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The pool's view of one worker. */
export interface Slot extends PoolSlot {
  worker: Worker;
  pending: Map<number, PendingBatch>;
  /** Loaded the model once (a recycled worker is started but no longer ready). */
  started: boolean;
  /** Asked to stop: its exit is expected and starts no replacement. */
  stopping: boolean;
  progress: Int32Array;
  /** On one image for longer than most take: offered new batches only when no other worker can take them. */
  slow: boolean;
  /** Set when the worker is being replaced because of one image. */
  verdict?: DecodingItem & { code: DecodeBudgetCode };
}

/** What {@link spawnSlot} needs. */
export interface SpawnOptions {
  id: number;
  script: string;
  settings: WorkerSettings;
  memoryMb: number | undefined;
  onResult: (message: Extract<WorkerMessage, { type: 'result' }>) => void;
  onReady: () => void;
  /** The thread ended; `outOfMemory` when V8 stopped it at the heap ceiling. */
  onExit: (reason: string, outOfMemory: boolean) => void;
}

/**
 * Starts one worker thread with its own progress cell and heap ceiling. `started` resolves with what
 * it loaded, or rejects with a {@link StartupError} when it cannot load the model.
 *
 * @example
 * const { slot, started } = spawnSlot({ id: 1, script: WORKER_SCRIPT, settings, memoryMb: 512, onResult, onReady, onExit });
 * await started; // { epoch: 30, testAccuracy: 0.9865, weightsHash: '3f2a9c0d1b7e', backend: '...', decoder: '...' }
 */
export function spawnSlot(options: SpawnOptions): { slot: Slot; started: Promise<ModelIdentity> } {
  const { id } = options;
  const progress = createProgressCell();
  const workerData: WorkerData = { ...options.settings, progress };
  // The heap ceiling bounds what a decoder can allocate in JS arrays; Buffers and the model's
  // tensors live outside the V8 heap and are bounded by the pixel limit instead.
  const worker = new Worker(options.script, {
    workerData,
    stdout: false,
    stderr: false,
    ...(options.memoryMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.memoryMb } }),
  });
  const slot: Slot = {
    id,
    worker,
    ready: false,
    started: false,
    stopping: false,
    inFlight: 0,
    numTensors: 0,
    pending: new Map(),
    progress,
    slow: false,
  };
  const started = new Promise<ModelIdentity>((resolve, reject) => {
    let lastError: (Error & { code?: unknown }) | undefined;
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          slot.ready = true;
          slot.started = true;
          slot.numTensors = message.numTensors;
          resolve({
            epoch: message.epoch,
            testAccuracy: message.testAccuracy,
            classNames: message.classNames,
            weightsHash: message.weightsHash,
            backend: message.backend,
            decoder: message.decoder,
          });
          options.onReady();
          break;
        case 'failed':
          reject(new StartupError(message.error.code, message.error.message));
          slot.stopping = true;
          void worker.terminate();
          break;
        case 'result':
          options.onResult(message);
          break;
      }
    });
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      const outOfMemory = lastError?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const reason = lastError === undefined ? `exited with code ${code}` : `crashed: ${lastError.message}`;
      if (!slot.started)
        reject(
          new StartupError('WORKER_START_FAILED', `worker ${id} ${reason} before loading the model`, {
            cause: lastError,
          }),
        );
      options.onExit(reason, outOfMemory);
    });
  });
  return { slot, started };
}
