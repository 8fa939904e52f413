/** Error codes of {@link CheckpointError}. */
export type CheckpointErrorCode = 'CHECKPOINT_NOT_FOUND' | 'CHECKPOINT_CORRUPT' | 'CHECKPOINT_INCOMPATIBLE';

/** A checkpoint that is missing, unreadable or made for another input pipeline. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
