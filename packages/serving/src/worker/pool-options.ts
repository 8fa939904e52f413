import type { WorkerSettings } from './protocol';

/** Figures from one finished batch, for metrics. */
export interface BatchStats {
  workerId: number;
  size: number;
  preprocessSeconds: number[];
  inferenceSeconds: number;
  numTensors: number;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  settings: WorkerSettings;
  /** Longest one image may decode (default 2000 ms); past it its worker is replaced and it gets IMAGE_DECODE_TIMEOUT. */
  decodeTimeoutMs?: number;
  /** V8 heap ceiling of each worker, MiB; past it the worker is replaced and the image it was decoding gets IMAGE_TOO_COMPLEX. */
  memoryMb?: number;
  /** A batch not answered within this time fails with 503 and its worker is replaced. */
  batchTimeoutMs?: number;
  script?: string;
  /** Called with a line worth logging (crash, replacement). */
  onEvent?: (level: 'info' | 'warn' | 'error', message: string) => void;
}
