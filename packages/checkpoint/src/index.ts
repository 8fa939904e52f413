/**
 * `@lenet/checkpoint`: the checkpoint format (TensorFlow.js layers `model.json` + weights, with lenet
 * metadata under `userDefinedMetadata.lenet`) and the run folder training writes into. It sets the
 * format tag, validates everything it loads, and owns the stored metadata shapes.
 */
export { CHECKPOINT_ERROR_CODES, CheckpointError, CheckpointFormatError, RunFolderError } from './errors';
export type { CheckpointErrorCode, CheckpointFormatErrorCode, RunFolderErrorCode } from './errors';
export { AUGMENTATIONS, CHECKPOINT_FORMAT, LR_SCHEDULES } from './metadata';
export type {
  CheckpointMetadata,
  CheckpointMetadataInput,
  DataProvenance,
  EpochRecord,
  EvaluationMetrics,
  Hyperparameters,
} from './metadata';
export { saveCheckpoint } from './save-checkpoint';
export type { SaveCheckpointOptions } from './save-checkpoint';
export { loadCheckpoint } from './load-checkpoint';
export type { LoadCheckpointOptions, LoadedCheckpoint, NamedTensor } from './load-checkpoint';
export { checkpointsIn, removeCheckpoints } from './run-folder';
export { LOCK_FILE } from './run-lock';
export type { RunLock } from './run-lock';
export { openRunFolder } from './open-run-folder';
export type { OpenRunFolderOptions } from './open-run-folder';
