import type { Preprocessing } from '@lenet/digit';

/** Test-set figures of one evaluation. */
export interface EvaluationMetrics {
  loss: number;
  accuracy: number;
}

/** One line of training history, as printed and logged per epoch. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  imagesPerSecond: number;
}

/** Settings a run was started with; `--resume` takes them from here. */
export interface Hyperparameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  checkpointEvery: number;
  seed: number;
  limit: number | null;
  /** 'cosine' anneals the learning rate to 0 over `epochs`; 'constant' keeps it. */
  lrSchedule: 'constant' | 'cosine';
  /** 'shift' moves each training digit by up to 2 pixels in x and y; 'none' trains on the digits as they are. */
  augment: 'none' | 'shift';
}

/** Everything about a checkpoint besides its weights. Stored in `model.json` under `userDefinedMetadata.lenet`. */
export interface CheckpointMetadata {
  format: 'lenet-checkpoint/1';
  /** Epochs fully completed. */
  epoch: number;
  /** Batches already done in epoch `epoch + 1` when the run was interrupted mid-epoch; 0 otherwise. */
  batchesIntoEpoch: number;
  metrics: EvaluationMetrics | null;
  history: EpochRecord[];
  preprocessing: Preprocessing;
  backend: string;
  hyperparameters: Hyperparameters;
  data: { directory: string; trainCount: number; testCount: number; fingerprint: string } | null;
  savedAt: string;
}
