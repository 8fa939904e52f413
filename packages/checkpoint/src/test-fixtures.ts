import { PREPROCESSING } from '@lenet/digit';
import type { CheckpointMetadataInput, Hyperparameters } from './metadata';

/** The CLI's default hyperparameters, as the checkpoint tests store them. */
export const TEST_HYPERPARAMETERS: Hyperparameters = {
  epochs: 30,
  batchSize: 64,
  learningRate: 0.025,
  momentum: 0.9,
  weightDecay: 1e-4,
  checkpointEvery: 10,
  seed: 1,
  limit: null,
  lrSchedule: 'cosine',
  augment: 'shift',
};

/**
 * Valid metadata for a checkpoint written at `epoch`, for tests to save and then break.
 *
 * @example
 * await saveCheckpoint(dir, { model, metadata: testMetadata(3) });
 */
export function testMetadata(epoch: number, extra: Partial<CheckpointMetadataInput> = {}): CheckpointMetadataInput {
  return {
    epoch,
    batchesIntoEpoch: 0,
    metrics: { loss: 0.1, accuracy: 0.9 },
    history: [],
    preprocessing: PREPROCESSING,
    backend: 'cpu',
    hyperparameters: TEST_HYPERPARAMETERS,
    data: null,
    savedAt: new Date(0).toISOString(),
    ...extra,
  };
}
