import type { Preprocessing } from '@lenet/digit';

/*
 * The shapes below are what a checkpoint stores under `userDefinedMetadata.lenet`. Hyperparameters and
 * epoch records are training ideas, but once written they are part of the file format: this package
 * validates them on every load (validate-metadata.ts), and a reader years from now must find the same
 * fields. So the format owns the stored shapes, and training uses them as its own types rather than
 * defining look-alikes that could drift from what is validated.
 */

/** The format tag {@link saveCheckpoint} writes into every checkpoint; loading refuses any other. */
export const CHECKPOINT_FORMAT = 'lenet-checkpoint/1';

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

/** The learning-rate schedules a checkpoint may record. */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
/** The augmentations a checkpoint may record. */
export const AUGMENTATIONS = ['none', 'shift'] as const;

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
  lrSchedule: (typeof LR_SCHEDULES)[number];
  /** 'shift' moves each training digit by up to 2 pixels in x and y; 'none' trains on the digits as they are. */
  augment: (typeof AUGMENTATIONS)[number];
}

/** Where the training examples came from, to refuse resuming on other data. */
export interface DataProvenance {
  directory: string;
  trainCount: number;
  testCount: number;
  fingerprint: string;
}

/** Everything about a checkpoint besides its weights. Stored in `model.json` under `userDefinedMetadata.lenet`. */
export interface CheckpointMetadata {
  format: typeof CHECKPOINT_FORMAT;
  /** Epochs fully completed. */
  epoch: number;
  /** Batches already done in epoch `epoch + 1` when the run was interrupted mid-epoch; 0 otherwise. */
  batchesIntoEpoch: number;
  metrics: EvaluationMetrics | null;
  history: EpochRecord[];
  preprocessing: Preprocessing;
  backend: string;
  hyperparameters: Hyperparameters;
  data: DataProvenance | null;
  savedAt: string;
  /** Names of classes 0..9 (`--class-names`), when the run had them; absent for plain digits. */
  classNames?: string[];
}

/** What a writer hands to {@link saveCheckpoint}: the format tag is set there, so any value given is ignored. */
export type CheckpointMetadataInput = Omit<CheckpointMetadata, 'format'> & { format?: string };
