/**
 * `npm run bench:train`: training throughput of the real training step (forward, backward, SGD update)
 * on LeNet, after warm-up, printed as one JSON object. Flags: --backend, --batch-size, --steps, --warmup,
 * --workers (1: the one-thread step; N: data-parallel over N threads, as `lenet train --workers N`).
 *
 * The warm-up is 300 steps because that is how long the step time takes to settle with two threads on
 * two cores: each thread's isolate optimises the same JavaScript (`--trace-opt` counted 480 optimised
 * compilations in the first 200 steps against 230 with one thread) while no core is idle, and the
 * half-batch step went from 15 ms (steps 1-50) to 11.7, 10.4 and then 9.6-10 ms from step 200 on
 * (one thread settles within about 50 steps). With the earlier 30 warm-up steps the figure mixed into
 * the steady state a transient that a real run (3,750 steps on the embedded set, 28,000 on
 * Fashion-MNIST) pays once, in its first 200 steps. `warmup_images_per_second` reports the warm-up steps on their own.
 */
import { Command } from 'commander';
import type { BackendRequest } from '@lenet/backend';
import { createLenet } from '@lenet/model';
import {
  createParallelTrainer,
  createSingleTrainer,
  epochOrder,
  examplesFromDigits,
  gatherBatch,
} from '@lenet/training';
import { buildEmbeddedMnist } from '@lenet/data';
import { setUpBackend } from '../src/backend-setup';
import { backendOption } from '../src/cli-options';
import { positiveInteger } from '../src/parse-flags';
import { machineInfo, rssPeakMb, runBenchCommand } from './bench-support';

interface BenchFlags {
  backend: BackendRequest;
  batchSize: number;
  steps: number;
  warmup: number;
  workers: number;
}

async function bench(flags: BenchFlags): Promise<void> {
  const choice = await setUpBackend(flags.backend, (line) => process.stderr.write(`${line}\n`));
  const { train, test } = buildEmbeddedMnist();
  const examples = examplesFromDigits(train.images, train.labels);
  const testExamples = examplesFromDigits(test.images, test.labels);
  const order = epochOrder(examples.count, 1, 1);
  const model = createLenet({ seed: 1 });
  const stepOptions = { model, learningRate: 0.025, momentum: 0.9, weightDecay: 1e-4 };
  const trainer =
    flags.workers === 1
      ? createSingleTrainer(stepOptions, testExamples)
      : await createParallelTrainer({
          ...stepOptions,
          workers: flags.workers,
          backend: choice.name,
          maxBatchSize: flags.batchSize,
          test: testExamples,
        });
  const batchAt = (i: number) =>
    gatherBatch(examples, order, (i * flags.batchSize) % (examples.count - flags.batchSize), flags.batchSize);
  const warmupStarted = performance.now();
  for (let i = 0; i < flags.warmup; i += 1) {
    const batch = batchAt(i);
    await trainer.run(batch.inputs, batch.labels);
  }
  const warmupSeconds = (performance.now() - warmupStarted) / 1000;
  trainer.utilisation(); // resets the busy counters: utilisation covers the timed steps only
  const started = performance.now();
  for (let i = 0; i < flags.steps; i += 1) {
    const batch = batchAt(flags.warmup + i);
    await trainer.run(batch.inputs, batch.labels);
  }
  const seconds = (performance.now() - started) / 1000;
  const utilisation = trainer.utilisation();
  await trainer.close();
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'train',
      backend: choice.name,
      workers: flags.workers,
      batch_size: flags.batchSize,
      steps: flags.steps,
      warmup_steps: flags.warmup,
      seconds: Number(seconds.toFixed(3)),
      images_per_second: Math.round((flags.steps * flags.batchSize) / seconds),
      warmup_images_per_second: Math.round((flags.warmup * flags.batchSize) / Math.max(1e-9, warmupSeconds)),
      per_worker_utilisation: utilisation.map((busy) => Number(busy.toFixed(3))),
      rss_peak_mb: rssPeakMb(),
      machine: machineInfo(),
    })}\n`,
  );
}

runBenchCommand(
  new Command('bench-train')
    .addOption(backendOption())
    .option('--batch-size <n>', 'images per step', positiveInteger('--batch-size'), 64)
    .option('--steps <n>', 'timed steps', positiveInteger('--steps'), 500)
    .option('--warmup <n>', 'untimed steps first (until the step time has settled)', positiveInteger('--warmup'), 300)
    .option('--workers <n>', 'training threads (data-parallel past 1)', positiveInteger('--workers'), 1)
    .action((flags: BenchFlags) => bench(flags)),
);
