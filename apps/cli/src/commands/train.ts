import { Command, Option } from 'commander';
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { BackendRequest } from '@lenet/backend';
import {
  AUGMENTATIONS,
  checkpointsIn,
  type Hyperparameters,
  type LoadedCheckpoint,
  LR_SCHEDULES,
  loadCheckpoint,
  openRunFolder,
  removeCheckpoints,
} from '@lenet/checkpoint';
import { findClassNames, readClassNames } from '@lenet/data';
import {
  diagnoseTestSet,
  type EpochReport,
  examplesFromDigits,
  renderReport,
  type TrainOptions,
  train,
} from '@lenet/training';
import { setUpBackend } from '../backend-setup';
import { backendOption, dataOption, limitOption } from '../cli-options';
import { loadMnistWithHint } from '../data-hint';
import { UsageError } from '../errors';
import { nonNegativeNumber, oneOf, positiveInteger } from '../parse-flags';
import { progressLine } from '../progress-bar';

interface TrainFlags {
  data: string;
  output: string;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  checkpointEvery: number;
  seed: number;
  limit?: number;
  resume?: string;
  force?: boolean;
  classNames?: string;
  workers: number;
  backend: BackendRequest;
  lrSchedule: Hyperparameters['lrSchedule'];
  augment: Hyperparameters['augment'];
}

/** The commander option behind a hyperparameter, where its name differs (commander camel-cases flags). */
const OPTION_OF: Partial<Record<keyof Hyperparameters, string>> = { learningRate: 'lr' };

/** Hyperparameters of this run: the checkpoint's when resuming, overridden by flags given on the command line. */
function hyperparametersFor(flags: TrainFlags, command: Command, saved: Hyperparameters | undefined): Hyperparameters {
  const fromFlags: Hyperparameters = {
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    momentum: flags.momentum,
    weightDecay: flags.weightDecay,
    checkpointEvery: flags.checkpointEvery,
    seed: flags.seed,
    limit: flags.limit ?? null,
    lrSchedule: flags.lrSchedule,
    augment: flags.augment,
  };
  if (saved === undefined) return fromFlags;
  const merged = { ...saved };
  for (const key of Object.keys(fromFlags) as Array<keyof Hyperparameters>) {
    if (command.getOptionValueSource(OPTION_OF[key] ?? key) === 'cli')
      (merged as Record<string, unknown>)[key] = fromFlags[key];
  }
  return merged;
}

function epochLine(record: EpochReport, epochs: number): string {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  return `epoch ${record.epoch}/${epochs}  train loss ${record.trainLoss.toFixed(4)} acc ${pct(record.trainAccuracy)}  test loss ${record.testLoss.toFixed(4)} acc ${pct(record.testAccuracy)}  ${record.seconds.toFixed(1)} s  ${Math.round(record.imagesPerSecond)} images/s`;
}

/** Stop flag raised by the first Ctrl-C; a second one exits at once. */
function interruptHandler(print: (line: string) => void): { stopRequested: () => boolean; dispose: () => void } {
  let requested = false;
  const onSignal = () => {
    if (requested) process.exit(130);
    requested = true;
    print('\nstopping after this batch and saving a resumable checkpoint (Ctrl-C again to quit without saving)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopRequested: () => requested,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

const isInside = (file: string, folder: string) => !path.relative(folder, file).startsWith('..');

/**
 * A new run must not silently replace a trained checkpoint: it needs --resume (from inside the folder, to
 * continue it) or --force (to start over).
 */
async function refuseToReplace(flags: TrainFlags): Promise<void> {
  const existing = (await checkpointsIn(flags.output))[0];
  const resumesHere = flags.resume !== undefined && isInside(path.resolve(flags.resume), path.resolve(flags.output));
  if (flags.force === true && resumesHere) {
    throw new UsageError(`--force starts ${flags.output} over, so it cannot --resume ${flags.resume} inside it`);
  }
  if (existing === undefined || flags.force === true || resumesHere) return;
  throw new UsageError(
    `--output ${flags.output} already holds a checkpoint (${existing}); continue it with --resume ${existing}, pick another --output, or replace it with --force`,
  );
}

/** `--class-names` wins; a resumed run keeps its names; else a class-names.txt beside the IDX files. */
async function classNamesFor(flags: TrainFlags, resume: LoadedCheckpoint | undefined): Promise<string[] | null> {
  if (flags.classNames !== undefined) return readClassNames(flags.classNames);
  return resume?.metadata?.classNames ?? findClassNames(flags.data);
}

async function runTrain(flags: TrainFlags, command: Command): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const warn = (line: string) => process.stderr.write(`warning: ${line}\n`);
  // Before anything slow: an unusable or busy --output fails at once, not after loading data.
  const lock = await openRunFolder(flags.output, { onWarning: warn });
  try {
    await refuseToReplace(flags);
    const choice = await setUpBackend(flags.backend, print);
    const resume = flags.resume === undefined ? undefined : await loadCheckpoint(flags.resume, { withOptimizer: true });
    if (resume !== undefined && resume.metadata === null) {
      throw new UsageError(
        `--resume ${flags.resume}: this model.json has no lenet training metadata, so training cannot continue from it`,
      );
    }
    const hp = hyperparametersFor(flags, command, resume?.metadata?.hyperparameters);
    const startEpoch = (resume?.metadata?.epoch ?? 0) + 1;
    if (resume?.metadata && startEpoch > hp.epochs) {
      // Exit 0: the run asked for exists and nothing is lost; scripts that re-run training are idempotent.
      print(
        `${resume.modelJsonPath} has already trained ${resume.metadata.epoch} of ${hp.epochs} epochs: nothing to do (pass a larger --epochs to train on)`,
      );
      return;
    }
    const classNames = await classNamesFor(flags, resume);
    const { train: trainSplit, test: testSplit } = await loadMnistWithHint(
      flags.data,
      hp.limit === null ? {} : { trainLimit: hp.limit },
    );
    const savedData = resume?.metadata?.data;
    if (savedData && savedData.fingerprint !== trainSplit.fingerprint) {
      throw new UsageError(
        `--resume ${flags.resume}: it was trained on other data (${savedData.directory}, ${savedData.trainCount} images, fingerprint ${savedData.fingerprint.slice(0, 12)}); ${flags.data} gives ${trainSplit.count} images, fingerprint ${trainSplit.fingerprint.slice(0, 12)}`,
      );
    }
    if (flags.force === true) {
      const removed = await removeCheckpoints(flags.output);
      if (removed.length > 0) print(`--force: removed ${removed.join(', ')}`);
    }
    print(`data: ${flags.data} (${trainSplit.count} training, ${testSplit.count} test images)`);
    if (classNames !== null) print(`classes: ${classNames.join(', ')}`);
    print(
      `training epochs ${startEpoch}-${hp.epochs}${resume ? ` (resumed from ${resume.modelJsonPath})` : ''}, batch ${hp.batchSize}, lr ${hp.learningRate} (${hp.lrSchedule}), augment ${hp.augment}, momentum ${hp.momentum}, weight decay ${hp.weightDecay}, seed ${hp.seed}, workers ${flags.workers}`,
    );

    const logFile = path.join(flags.output, 'log.jsonl');
    const log = (entry: object) =>
      appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
    log({
      event: 'run-start',
      pid: process.pid,
      data: flags.data,
      resume: resume?.modelJsonPath ?? null,
      force: flags.force === true,
      firstEpoch: startEpoch,
      backend: choice.name,
      workers: flags.workers,
      classNames,
      hyperparameters: hp,
    });
    const tty = process.stdout.isTTY === true;
    const interrupts = interruptHandler(print);
    let barShown = false;
    try {
      const testExamples = examplesFromDigits(testSplit.images, testSplit.labels);
      const options: TrainOptions = {
        train: examplesFromDigits(trainSplit.images, trainSplit.labels),
        test: testExamples,
        outputDir: flags.output,
        hyperparameters: hp,
        backend: choice.name,
        resume,
        workers: flags.workers,
        ...(classNames === null ? {} : { classNames }),
        data: {
          directory: flags.data,
          trainCount: trainSplit.count,
          testCount: testSplit.count,
          fingerprint: trainSplit.fingerprint,
        },
        shouldStop: interrupts.stopRequested,
        onBatch: tty
          ? (progress) => {
              barShown = true;
              process.stdout.write(`\r${progressLine(progress, hp.epochs)}`);
            }
          : undefined,
        onEpoch: (record) => {
          if (barShown) process.stdout.write('\r\x1b[K');
          barShown = false;
          print(epochLine(record, hp.epochs));
          // Synchronous, once per epoch: lines stay in order and none is lost if the run is killed right after.
          log({ event: 'epoch', backend: choice.name, ...record });
        },
        onCheckpoint: (directory) => {
          if (!directory.endsWith('checkpoint')) print(`saved ${directory}`);
        },
      };
      const result = await train(options);
      if (barShown) process.stdout.write('\n');
      const reportFile = path.join(flags.output, 'report.html');
      await writeFile(
        reportFile,
        renderReport(result.history, {
          title: `LeNet training on ${flags.data}`,
          backend: choice.name,
          dataFingerprint: trainSplit.fingerprint,
          ...(classNames === null ? {} : { classNames }),
          ...diagnoseTestSet(result.model, testExamples),
          details: [
            `${trainSplit.count} training / ${testSplit.count} test images`,
            `batch ${hp.batchSize}, lr ${hp.learningRate} (${hp.lrSchedule}), augment ${hp.augment}, momentum ${hp.momentum}, weight decay ${hp.weightDecay}, seed ${hp.seed}, workers ${flags.workers}`,
          ],
        }),
      );
      log({ event: result.stopped ? 'stopped' : 'finished', checkpoint: result.checkpoint });
      if (result.stopped)
        print(
          `stopped; resume with: lenet train --data ${flags.data} --output ${flags.output} --resume ${result.checkpoint}`,
        );
      print(`checkpoint: ${result.checkpoint ?? '(none written)'}`);
      print(`report: ${reportFile}`);
    } finally {
      interrupts.dispose();
    }
  } finally {
    await lock.release();
  }
}

/** `lenet train`. */
export function trainCommand(): Command {
  return new Command('train')
    .description(
      'train LeNet on the four MNIST IDX files in --data; checkpoints, log.jsonl and report.html go to --output',
    )
    .addOption(dataOption('folder with the train-/t10k- images and labels IDX files'))
    .option('--output <dir>', 'run folder for checkpoints, log.jsonl and report.html', 'output')
    .option('--epochs <n>', 'epochs to train (total, counting resumed ones)', positiveInteger('--epochs'), 30)
    .option('--batch-size <n>', 'images per SGD step', positiveInteger('--batch-size'), 64)
    .option('--lr <rate>', 'learning rate', nonNegativeNumber('--lr'), 0.025)
    .option('--momentum <m>', 'SGD momentum', nonNegativeNumber('--momentum'), 0.9)
    .option('--weight-decay <wd>', 'L2 weight decay', nonNegativeNumber('--weight-decay'), 1e-4)
    .option(
      '--checkpoint-every <n>',
      'also keep OUTPUT/epoch-N every n epochs',
      positiveInteger('--checkpoint-every'),
      10,
    )
    .option(
      '--lr-schedule <kind>',
      'constant, or cosine (anneal to 0 over --epochs)',
      oneOf('--lr-schedule', LR_SCHEDULES),
      'cosine',
    )
    .option(
      '--augment <kind>',
      'none, or shift (move each training digit by up to 2 px)',
      oneOf('--augment', AUGMENTATIONS),
      'shift',
    )
    .option('--seed <n>', 'seed for weight initialisation and shuffling', positiveInteger('--seed'), 1)
    .addOption(limitOption('training'))
    .option('--resume <path>', 'continue from a checkpoint folder or its model.json (optimizer state included)')
    .option('--force', 'start over in an --output that already holds a checkpoint, replacing it')
    .option(
      '--class-names <file>',
      'names of classes 0..9, one per line, stored in the checkpoint (default: class-names.txt beside the IDX files)',
    )
    .addOption(
      new Option('--workers <n>', 'worker threads computing each batch in parallel')
        .env('TRAIN_WORKERS')
        .argParser(positiveInteger('--workers'))
        .default(availableParallelism(), `one per core: ${availableParallelism()}`),
    )
    .addOption(backendOption())
    .action((flags: TrainFlags, command: Command) => runTrain(flags, command));
}
