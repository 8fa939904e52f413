import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointFormatError } from './errors';
import {
  AUGMENTATIONS,
  CHECKPOINT_FORMAT,
  type CheckpointMetadata,
  type EpochRecord,
  type Hyperparameters,
  LR_SCHEDULES,
} from './metadata';

/** Where a checkpoint's optimizer state lives; stored beside the metadata. */
export interface OptimizerEntry {
  path: string;
  weights: tf.io.WeightsManifestEntry[];
}

/** Number of class names a checkpoint may carry: one per digit class. */
export const CLASS_NAME_COUNT = 10;

type Json = unknown;

/** Checks one JSON value at a time, naming the field in `userDefinedMetadata.lenet...` notation. */
class Reader {
  constructor(private readonly file: string) {}

  fail(field: string, expected: string, found: Json): never {
    this.failWith(field, expected, found === undefined ? 'nothing' : JSON.stringify(found));
  }

  failWith(field: string, expected: string, found: string): never {
    throw new CheckpointFormatError(
      'CHECKPOINT_BAD_METADATA',
      this.file,
      field,
      `expected ${expected}, found ${found}`,
    );
  }

  object(value: Json, field: string): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as Record<string, Json>;
  }

  array(value: Json, field: string): Json[] {
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    return value;
  }

  string(value: Json, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'a string', value);
    return value;
  }

  number(value: Json, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'a finite number', value);
    return value;
  }

  nonNegative(value: Json, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) this.fail(field, 'a number >= 0', value);
    return value;
  }

  count(value: Json, field: string, minimum: 0 | 1): number {
    if (!Number.isSafeInteger(value) || (value as number) < minimum)
      this.fail(field, minimum === 0 ? 'a non-negative integer' : 'a positive integer', value);
    return value as number;
  }

  oneOf<T extends string>(value: Json, field: string, choices: readonly T[]): T {
    if (!(choices as readonly Json[]).includes(value)) this.fail(field, `one of ${choices.join(', ')}`, value);
    return value as T;
  }
}

function epochRecord(r: Reader, value: Json, field: string): EpochRecord {
  const o = r.object(value, field);
  return {
    epoch: r.count(o.epoch, `${field}.epoch`, 1),
    trainLoss: r.number(o.trainLoss, `${field}.trainLoss`),
    trainAccuracy: r.number(o.trainAccuracy, `${field}.trainAccuracy`),
    testLoss: r.number(o.testLoss, `${field}.testLoss`),
    testAccuracy: r.number(o.testAccuracy, `${field}.testAccuracy`),
    seconds: r.nonNegative(o.seconds, `${field}.seconds`),
    imagesPerSecond: r.nonNegative(o.imagesPerSecond, `${field}.imagesPerSecond`),
  };
}

function hyperparameters(r: Reader, value: Json, field: string): Hyperparameters {
  const o = r.object(value, field);
  return {
    epochs: r.count(o.epochs, `${field}.epochs`, 1),
    batchSize: r.count(o.batchSize, `${field}.batchSize`, 1),
    learningRate: r.nonNegative(o.learningRate, `${field}.learningRate`),
    momentum: r.nonNegative(o.momentum, `${field}.momentum`),
    weightDecay: r.nonNegative(o.weightDecay, `${field}.weightDecay`),
    checkpointEvery: r.count(o.checkpointEvery, `${field}.checkpointEvery`, 1),
    seed: r.count(o.seed, `${field}.seed`, 0),
    limit: o.limit === null ? null : r.count(o.limit, `${field}.limit`, 1),
    lrSchedule: r.oneOf(o.lrSchedule, `${field}.lrSchedule`, LR_SCHEDULES),
    augment: r.oneOf(o.augment, `${field}.augment`, AUGMENTATIONS),
  };
}

function classNames(r: Reader, value: Json, field: string): string[] {
  const names = r.array(value, field);
  if (names.length !== CLASS_NAME_COUNT) r.failWith(field, `${CLASS_NAME_COUNT} class names`, `${names.length}`);
  return names.map((name, i) => {
    if (typeof name !== 'string' || name.trim() === '') r.fail(`${field}[${i}]`, 'a non-empty string', name);
    return name;
  });
}

function optimizerEntry(r: Reader, value: Json, field: string): OptimizerEntry | null {
  if (value === null || value === undefined) return null;
  const o = r.object(value, field);
  const weights = r.array(o.weights, `${field}.weights`).map((spec, i) => {
    const s = r.object(spec, `${field}.weights[${i}]`);
    r.string(s.name, `${field}.weights[${i}].name`);
    r.array(s.shape, `${field}.weights[${i}].shape`);
    r.string(s.dtype, `${field}.weights[${i}].dtype`);
    return spec as tf.io.WeightsManifestEntry;
  });
  return { path: r.string(o.path, `${field}.path`), weights };
}

/**
 * Checks `userDefinedMetadata.lenet` of a `model.json` field by field and returns it typed, with the
 * optimizer entry split off. Unknown extra fields are kept out (a newer writer may add some).
 *
 * @throws CheckpointFormatError `CHECKPOINT_BAD_METADATA` naming the first wrong field, or
 *   `CHECKPOINT_INCOMPATIBLE` for another format tag.
 * @example
 * parseCheckpointMetadata({ epoch: 'x' }, 'run/model.json');
 * // throws 'run/model.json: userDefinedMetadata.lenet.format: expected "lenet-checkpoint/1", found nothing'
 */
export function parseCheckpointMetadata(
  value: unknown,
  file: string,
): { metadata: CheckpointMetadata; optimizer: OptimizerEntry | null } {
  const r = new Reader(file);
  const root = 'userDefinedMetadata.lenet';
  const o = r.object(value, root);
  if (o.format !== CHECKPOINT_FORMAT) {
    const found = o.format === undefined ? 'nothing' : JSON.stringify(o.format);
    throw new CheckpointFormatError(
      typeof o.format === 'string' ? 'CHECKPOINT_INCOMPATIBLE' : 'CHECKPOINT_BAD_METADATA',
      file,
      `${root}.format`,
      `expected "${CHECKPOINT_FORMAT}", found ${found}`,
    );
  }
  const metrics = o.metrics === null ? null : r.object(o.metrics, `${root}.metrics`);
  const data = o.data === null ? null : r.object(o.data, `${root}.data`);
  const metadata: CheckpointMetadata = {
    format: CHECKPOINT_FORMAT,
    epoch: r.count(o.epoch, `${root}.epoch`, 0),
    batchesIntoEpoch: r.count(o.batchesIntoEpoch, `${root}.batchesIntoEpoch`, 0),
    metrics:
      metrics === null
        ? null
        : {
            loss: r.number(metrics.loss, `${root}.metrics.loss`),
            accuracy: r.number(metrics.accuracy, `${root}.metrics.accuracy`),
          },
    history: r.array(o.history, `${root}.history`).map((e, i) => epochRecord(r, e, `${root}.history[${i}]`)),
    // Values are compared with this build's by checkPreprocessing, which names the differing constant.
    preprocessing: r.object(o.preprocessing, `${root}.preprocessing`) as unknown as CheckpointMetadata['preprocessing'],
    backend: r.string(o.backend, `${root}.backend`),
    hyperparameters: hyperparameters(r, o.hyperparameters, `${root}.hyperparameters`),
    data:
      data === null
        ? null
        : {
            directory: r.string(data.directory, `${root}.data.directory`),
            trainCount: r.count(data.trainCount, `${root}.data.trainCount`, 0),
            testCount: r.count(data.testCount, `${root}.data.testCount`, 0),
            fingerprint: r.string(data.fingerprint, `${root}.data.fingerprint`),
          },
    savedAt: r.string(o.savedAt, `${root}.savedAt`),
  };
  if (o.classNames !== undefined && o.classNames !== null)
    metadata.classNames = classNames(r, o.classNames, `${root}.classNames`);
  return { metadata, optimizer: optimizerEntry(r, o.optimizer, `${root}.optimizer`) };
}
