/**
 * Every code `@lenet/checkpoint` raises, so callers (the CLI, the server's error table) branch on a
 * union rather than a string:
 *
 * - `CHECKPOINT_NOT_FOUND`: no folder or no `model.json` where a checkpoint was expected.
 * - `CHECKPOINT_CORRUPT`: `model.json` is not a layers model, or a file it names is missing or short.
 * - `CHECKPOINT_INCOMPATIBLE`: trained with another preprocessing, or written in an unknown format.
 * - `CHECKPOINT_BAD_METADATA`: `userDefinedMetadata.lenet` lacks a field or holds a wrong value.
 * - `CHECKPOINT_UNSAFE_PATH`: a weights or optimizer path leaves the checkpoint folder.
 * - `CHECKPOINT_NON_FINITE`: a weight (or optimizer value) is NaN or infinite.
 * - `CHECKPOINT_WRITE_FAILED`: saving failed (disk full, a file size limit, permissions); nothing partial is left.
 * - `RUN_FOLDER_LOCKED`: another live process holds the run folder's `.lock`.
 * - `RUN_FOLDER_NOT_WRITABLE`: the run folder cannot be created or written.
 */
export const CHECKPOINT_ERROR_CODES = [
  'CHECKPOINT_NOT_FOUND',
  'CHECKPOINT_CORRUPT',
  'CHECKPOINT_INCOMPATIBLE',
  'CHECKPOINT_BAD_METADATA',
  'CHECKPOINT_UNSAFE_PATH',
  'CHECKPOINT_NON_FINITE',
  'CHECKPOINT_WRITE_FAILED',
  'RUN_FOLDER_LOCKED',
  'RUN_FOLDER_NOT_WRITABLE',
] as const;

/** One of {@link CHECKPOINT_ERROR_CODES}. */
export type CheckpointErrorCode = (typeof CHECKPOINT_ERROR_CODES)[number];

/** A checkpoint that is missing, unreadable or made for another input pipeline. */
export class CheckpointError extends Error {
  override readonly name: string = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes of {@link CheckpointFormatError}: what is wrong inside a `model.json` that parses. */
export type CheckpointFormatErrorCode = Extract<
  CheckpointErrorCode,
  'CHECKPOINT_BAD_METADATA' | 'CHECKPOINT_UNSAFE_PATH' | 'CHECKPOINT_NON_FINITE' | 'CHECKPOINT_INCOMPATIBLE'
>;

/**
 * A `model.json` that parses but breaks the checkpoint format; `field` is the JSON path of the culprit.
 *
 * @example
 * new CheckpointFormatError('CHECKPOINT_BAD_METADATA', 'model.json', 'userDefinedMetadata.lenet.epoch',
 *   'expected a non-negative integer, found "x"').message;
 * // 'model.json: userDefinedMetadata.lenet.epoch: expected a non-negative integer, found "x"'
 */
export class CheckpointFormatError extends CheckpointError {
  override readonly name: string = 'CheckpointFormatError';
  constructor(
    override readonly code: CheckpointFormatErrorCode,
    readonly file: string,
    readonly field: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${file}: ${field}: ${detail}`, options);
  }
}

/** Codes of {@link RunFolderError}. */
export type RunFolderErrorCode = Extract<CheckpointErrorCode, `RUN_FOLDER_${string}`>;

/**
 * A run folder (`lenet train --output`) that another process is using, or that cannot be written.
 *
 * @example
 * new RunFolderError('RUN_FOLDER_LOCKED', 'output: in use by lenet train PID 4242').code; // 'RUN_FOLDER_LOCKED'
 */
export class RunFolderError extends CheckpointError {
  override readonly name: string = 'RunFolderError';
  constructor(
    override readonly code: RunFolderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
