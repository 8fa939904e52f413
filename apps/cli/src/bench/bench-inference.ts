/**
 * `npm run bench:inference`: time to decode + preprocess + predict one image, for a 28x28 PNG and a
 * 3000x4000 JPEG (a test digit drawn black on white), printed as one JSON object.
 * Flags: --backend, --model (default: an untrained LeNet, same cost), --runs.
 */
import { Command } from 'commander';
import { Jimp } from 'jimp';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BACKEND_REQUESTS, type BackendRequest } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { buildEmbeddedMnist } from '@lenet/data';
import { preprocessImage } from '@lenet/image';
import { createLenet, predictProbabilities } from '@lenet/model';
import { setUpBackend } from '../backend-setup';
import { oneOf, positiveInteger } from '../parse-flags';
import { machineInfo, runBenchCommand } from './bench-support';

interface BenchFlags {
  backend: BackendRequest;
  model?: string;
  runs: number;
}

/** A digit drawn as dark ink on white paper, `width` x `height`, the digit about half the height. */
async function paperImage(
  digit: Uint8Array,
  width: number,
  height: number,
  mime: 'image/png' | 'image/jpeg',
): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0xffffffff });
  const scale = Math.max(1, Math.floor(height / 2 / 28));
  const left = Math.floor((width - 28 * scale) / 2);
  const top = Math.floor((height - 28 * scale) / 2);
  const data = image.bitmap.data;
  for (let y = 0; y < 28 * scale; y += 1) {
    for (let x = 0; x < 28 * scale; x += 1) {
      const v = 255 - (digit[Math.floor(y / scale) * 28 + Math.floor(x / scale)] as number);
      const at = ((top + y) * width + left + x) * 4;
      data[at] = v;
      data[at + 1] = v;
      data[at + 2] = v;
    }
  }
  return mime === 'image/png' ? image.getBuffer('image/png') : image.getBuffer('image/jpeg', { quality: 85 });
}

async function time(model: tfl.LayersModel, bytes: Uint8Array, runs: number) {
  const once = async () => {
    const started = performance.now();
    const { input } = await preprocessImage(bytes);
    predictProbabilities(model, input, 1);
    return performance.now() - started;
  };
  for (let i = 0; i < Math.min(3, runs); i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await once());
  samples.sort((a, b) => a - b);
  const round = (v: number) => Number(v.toFixed(2));
  return {
    bytes: bytes.length,
    runs,
    ms_median: round(samples[Math.floor(runs / 2)] as number),
    ms_p90: round(samples[Math.floor(runs * 0.9)] as number),
    ms_min: round(samples[0] as number),
  };
}

async function bench(flags: BenchFlags): Promise<void> {
  const choice = await setUpBackend(flags.backend, (line) => process.stderr.write(`${line}\n`));
  const model = flags.model === undefined ? createLenet({ seed: 1 }) : (await loadCheckpoint(flags.model)).model;
  const digit = buildEmbeddedMnist().test.images.subarray(0, 784);
  const png28 = await paperImage(digit, 28, 28, 'image/png');
  const jpeg = await paperImage(digit, 3000, 4000, 'image/jpeg');
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'inference',
      backend: choice.name,
      batch_size: 1,
      what: 'read bytes in memory -> decode -> preprocess -> predict, one image',
      png_28x28: await time(model, png28, flags.runs),
      jpeg_3000x4000: await time(model, jpeg, Math.max(3, Math.floor(flags.runs / 10))),
      machine: machineInfo(),
    })}\n`,
  );
}

runBenchCommand(
  new Command('bench-inference')
    .option('--backend <name>', BACKEND_REQUESTS.join(', '), oneOf('--backend', BACKEND_REQUESTS), 'auto')
    .option('--model <path>', 'checkpoint to use (default: an untrained LeNet; the cost is the same)')
    .option('--runs <n>', 'timed runs for the small image (a tenth for the large one)', positiveInteger('--runs'), 100)
    .action((flags: BenchFlags) => bench(flags)),
);
