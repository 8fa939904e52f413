/**
 * `npm run bench:train`: training throughput of the real training step (forward, backward, SGD update)
 * on LeNet, after warm-up, printed as one JSON object. Flags: --backend, --batch-size, --steps, --warmup.
 */
import { Command } from 'commander';
import { BACKEND_REQUESTS, type BackendRequest } from '@lenet/backend';
import { createLenet } from '@lenet/model';
import { createTrainStep, examplesFromDigits, gatherBatch, epochOrder } from '@lenet/training';
import { buildEmbeddedMnist } from '@lenet/data';
import { setUpBackend } from '../backend-setup';
import { oneOf, positiveInteger } from '../parse-flags';
import { machineInfo, runBenchCommand } from './bench-support';

interface BenchFlags {
  backend: BackendRequest;
  batchSize: number;
  steps: number;
  warmup: number;
}

async function bench(flags: BenchFlags): Promise<void> {
  const choice = await setUpBackend(flags.backend, (line) => process.stderr.write(`${line}\n`));
  const { train } = buildEmbeddedMnist();
  const examples = examplesFromDigits(train.images, train.labels);
  const order = epochOrder(examples.count, 1, 1);
  const model = createLenet({ seed: 1 });
  const step = createTrainStep({ model, learningRate: 0.025, momentum: 0.9, weightDecay: 1e-4 });
  const batchAt = (i: number) =>
    gatherBatch(examples, order, (i * flags.batchSize) % (examples.count - flags.batchSize), flags.batchSize);
  for (let i = 0; i < flags.warmup; i += 1) {
    const batch = batchAt(i);
    step.run(batch.inputs, batch.labels);
  }
  const started = performance.now();
  for (let i = 0; i < flags.steps; i += 1) {
    const batch = batchAt(flags.warmup + i);
    step.run(batch.inputs, batch.labels);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'train',
      backend: choice.name,
      batch_size: flags.batchSize,
      steps: flags.steps,
      warmup_steps: flags.warmup,
      seconds: Number(seconds.toFixed(3)),
      images_per_second: Math.round((flags.steps * flags.batchSize) / seconds),
      machine: machineInfo(),
    })}\n`,
  );
}

runBenchCommand(
  new Command('bench-train')
    .option('--backend <name>', BACKEND_REQUESTS.join(', '), oneOf('--backend', BACKEND_REQUESTS), 'auto')
    .option('--batch-size <n>', 'images per step', positiveInteger('--batch-size'), 64)
    .option('--steps <n>', 'timed steps', positiveInteger('--steps'), 200)
    .option('--warmup <n>', 'untimed steps first', positiveInteger('--warmup'), 30)
    .action((flags: BenchFlags) => bench(flags)),
);
