/** Error codes raised by @lenet/training. */
export const TRAINING_ERROR_CODES = [
  'TRAINING_NON_FINITE_LOSS',
  'TRAINING_WORKER_FAILED',
  'TRAINING_BAD_OPTION',
] as const;
/** One of {@link TRAINING_ERROR_CODES}. */
export type TrainingErrorCode = (typeof TRAINING_ERROR_CODES)[number];

/** The loss became NaN or infinite: the weights diverged, so the run stops before saving them. */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  readonly code: TrainingErrorCode = 'TRAINING_NON_FINITE_LOSS';
  constructor(
    readonly epoch: number,
    /** 1-based batch of `epoch` whose loss was not finite. */
    readonly batch: number,
    readonly loss: number,
    learningRate: number,
    options?: { cause?: unknown },
  ) {
    super(
      `training diverged: expected a finite loss, found ${loss} at epoch ${epoch}, batch ${batch} (learning rate ${learningRate}); the last checkpoint with finite weights is kept; try a lower --lr`,
      options,
    );
  }
}

/** A training worker thread failed to start or died mid-run; the step in flight was not applied. */
export class TrainingWorkerError extends Error {
  override readonly name = 'TrainingWorkerError';
  readonly code: TrainingErrorCode = 'TRAINING_WORKER_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option of `train` is out of range (e.g. `workers: 0`). */
export class TrainingOptionError extends Error {
  override readonly name = 'TrainingOptionError';
  readonly code: TrainingErrorCode = 'TRAINING_BAD_OPTION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
