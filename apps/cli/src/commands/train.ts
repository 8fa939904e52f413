import { Command } from 'commander';
import { appendFileSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BACKEND_REQUESTS, type BackendRequest } from '@lenet/backend';
import { loadCheckpoint, type EpochRecord, type Hyperparameters } from '@lenet/checkpoint';
import { loadMnistWithHint } from '../data-hint';
import { examplesFromDigits, renderReport, train } from '@lenet/training';
import { setUpBackend } from '../backend-setup';
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
  backend: BackendRequest;
  lrSchedule: Hyperparameters['lrSchedule'];
  augment: Hyperparameters['augment'];
}

/** The commander option behind each hyperparameter (camel-cased as commander stores it). */
const OPTION_OF: Record<keyof Hyperparameters, string> = {
  epochs: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'lr',
  momentum: 'momentum',
  weightDecay: 'weightDecay',
  checkpointEvery: 'checkpointEvery',
  seed: 'seed',
  limit: 'limit',
  lrSchedule: 'lrSchedule',
  augment: 'augment',
};

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
  for (const key of Object.keys(OPTION_OF) as Array<keyof Hyperparameters>) {
    if (command.getOptionValueSource(OPTION_OF[key]) === 'cli')
      (merged as Record<string, unknown>)[key] = fromFlags[key];
  }
  return merged;
}

function epochLine(record: EpochRecord, epochs: number): string {
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

async function runTrain(flags: TrainFlags, command: Command): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const choice = await setUpBackend(flags.backend, print);
  const resume = flags.resume === undefined ? undefined : await loadCheckpoint(flags.resume, { withOptimizer: true });
  if (resume !== undefined && resume.metadata === null) {
    throw new UsageError(
      `--resume ${flags.resume}: this model.json has no lenet training metadata, so training cannot continue from it`,
    );
  }
  const hp = hyperparametersFor(flags, command, resume?.metadata?.hyperparameters);
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
  const startEpoch = (resume?.metadata?.epoch ?? 0) + 1;
  print(`data: ${flags.data} (${trainSplit.count} training, ${testSplit.count} test images)`);
  print(
    `training epochs ${startEpoch}-${hp.epochs}${resume ? ` (resumed from ${resume.modelJsonPath})` : ''}, batch ${hp.batchSize}, lr ${hp.learningRate} (${hp.lrSchedule}), augment ${hp.augment}, momentum ${hp.momentum}, weight decay ${hp.weightDecay}, seed ${hp.seed}`,
  );

  await mkdir(flags.output, { recursive: true });
  const logFile = path.join(flags.output, 'log.jsonl');
  const tty = process.stdout.isTTY === true;
  const interrupts = interruptHandler(print);
  let barShown = false;
  try {
    const result = await train({
      train: examplesFromDigits(trainSplit.images, trainSplit.labels),
      test: examplesFromDigits(testSplit.images, testSplit.labels),
      outputDir: flags.output,
      hyperparameters: hp,
      backend: choice.name,
      resume,
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
        appendFileSync(
          logFile,
          `${JSON.stringify({ time: new Date().toISOString(), event: 'epoch', backend: choice.name, ...record })}\n`,
        );
      },
      onCheckpoint: (directory) => {
        if (!directory.endsWith('checkpoint')) print(`saved ${directory}`);
      },
    });
    if (barShown) process.stdout.write('\n');
    const reportFile = path.join(flags.output, 'report.html');
    await writeFile(
      reportFile,
      renderReport(result.history, {
        title: `LeNet training on ${flags.data}`,
        details: [
          `backend: ${choice.name}`,
          `${trainSplit.count} training / ${testSplit.count} test images`,
          `batch ${hp.batchSize}, lr ${hp.learningRate} (${hp.lrSchedule}), augment ${hp.augment}, momentum ${hp.momentum}, weight decay ${hp.weightDecay}, seed ${hp.seed}`,
        ],
      }),
    );
    await appendFile(
      logFile,
      `${JSON.stringify({ time: new Date().toISOString(), event: result.stopped ? 'stopped' : 'finished', checkpoint: result.checkpoint })}\n`,
    );
    if (result.stopped)
      print(
        `stopped; resume with: lenet train --data ${flags.data} --output ${flags.output} --resume ${result.checkpoint}`,
      );
    print(`checkpoint: ${result.checkpoint ?? '(none written)'}`);
    print(`report: ${reportFile}`);
  } finally {
    interrupts.dispose();
  }
}

/** `lenet train`. */
export function trainCommand(): Command {
  return new Command('train')
    .description(
      'train LeNet on the four MNIST IDX files in --data; checkpoints, log.jsonl and report.html go to --output',
    )
    .option('--data <dir>', 'folder with train-/t10k- images and labels IDX files (raw or .gz)', 'data/mnist')
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
      oneOf('--lr-schedule', ['constant', 'cosine'] as const),
      'cosine',
    )
    .option(
      '--augment <kind>',
      'none, or shift (move each training digit by up to 2 px)',
      oneOf('--augment', ['none', 'shift'] as const),
      'shift',
    )
    .option('--seed <n>', 'seed for weight initialisation and shuffling', positiveInteger('--seed'), 1)
    .option('--limit <n>', 'use only the first n training images', positiveInteger('--limit'))
    .option('--resume <path>', 'continue from a checkpoint folder or its model.json (optimizer state included)')
    .option(
      '--backend <name>',
      `TensorFlow.js backend: ${BACKEND_REQUESTS.join(', ')}`,
      oneOf('--backend', BACKEND_REQUESTS),
      'auto',
    )
    .action((flags: TrainFlags, command: Command) => runTrain(flags, command));
}
