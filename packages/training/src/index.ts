/**
 * `@lenet/training`: the LeNet training loop (one thread or data-parallel worker threads), its step,
 * evaluation, batches and report. Internals (shiftInto, the worker protocol, mulberry32) stay internal.
 */
export { TRAINING_ERROR_CODES, TrainingDivergedError, TrainingOptionError, TrainingWorkerError } from './errors';
export type { TrainingErrorCode } from './errors';
export { evaluate, predictBatches, summariseEvaluation } from './evaluate';
export type { Evaluation } from './evaluate';
export { examplesFromDigits, gatherBatch, MAX_SHIFT } from './examples';
export type { Examples } from './examples';
export { createParallelTrainer, GRADIENT_WORKER_SCRIPT } from './parallel/parallel-trainer';
export type { ParallelTrainerOptions } from './parallel/parallel-trainer';
export { renderReport } from './report';
export type { ReportInfo } from './report';
export { diagnoseTestSet } from './report-diagnostics';
export type { TestDiagnostics, WrongExample } from './report-diagnostics';
export { learningRateAt } from './schedule';
export { epochOrder } from './shuffle';
export { train } from './train';
export type { BatchProgress, EpochReport, TrainOptions, TrainResult } from './train';
export { createTrainStep } from './train-step';
export type { StepResult, TrainStep, TrainStepOptions } from './train-step';
export { createSingleTrainer } from './trainer';
export type { Trainer } from './trainer';
