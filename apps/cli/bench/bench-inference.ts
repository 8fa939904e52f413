/**
 * `npm run bench:inference`: time to decode + preprocess + predict one image, for a 28x28 PNG and a
 * 3000x4000 JPEG (a test digit drawn black on white), in this process; then one real `lenet inference`
 * child process on a generated 4000x3000 JPEG (a phone photo's size; written to a temp folder, never
 * committed), wall time including start-up. Printed as one JSON object with the RSS peaks: `rss_peak_mb` is
 * this process's (it also made the test images with jimp), `cli_jpeg_4000x3000.rss_peak_mb` the CLI child's.
 * Flags: --backend, --decoder, --model (default: an untrained LeNet, same cost), --runs.
 */
import { Command } from 'commander';
import { Jimp } from 'jimp';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendRequest } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { buildEmbeddedMnist } from '@lenet/data';
import { type DecoderRequest, type ImageDecoder, preprocessImage } from '@lenet/image';
import { createLenet, predictProbabilities } from '@lenet/model';
import { setUpBackend } from '../src/backend-setup';
import { backendOption, decoderOption, modelOption } from '../src/cli-options';
import { setUpDecoder } from '../src/decoder-setup';
import { positiveInteger } from '../src/parse-flags';
import { repoPath } from '../src/repo-root';
import { machineInfo, rssPeakMb, runBenchCommand } from './bench-support';

interface BenchFlags {
  backend: BackendRequest;
  decoder: DecoderRequest;
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

const round = (v: number) => Number(v.toFixed(2));

async function time(model: tfl.LayersModel, decoder: ImageDecoder, bytes: Uint8Array, runs: number) {
  const once = async () => {
    const started = performance.now();
    const { input } = await preprocessImage(bytes, { decoder });
    predictProbabilities(model, input, 1);
    return performance.now() - started;
  };
  for (let i = 0; i < Math.min(3, runs); i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await once());
  samples.sort((a, b) => a - b);
  return {
    bytes: bytes.length,
    runs,
    ms_median: round(samples[Math.floor(runs / 2)] as number),
    ms_p90: round(samples[Math.floor(runs * 0.9)] as number),
    ms_min: round(samples[0] as number),
  };
}

/** `model` as a plain TensorFlow.js model.json + weights.bin in `dir` (no lenet metadata: the CLI accepts that). */
async function savePlainModel(model: tfl.LayersModel, dir: string): Promise<string> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const json = { format: artifacts.format, modelTopology: artifacts.modelTopology, weightsManifest };
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return dir;
}

/** One `lenet inference --image <file>` child: wall time from spawn to exit and the child's peak RSS. */
async function cliRun(args: string[], rssFile: string): Promise<{ wall_ms: number; rss_peak_mb: number }> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, LENET_BENCH_RSS_FILE: rssFile } }, (error, _, stderr) =>
      error === null ? resolve() : reject(new Error(`lenet inference failed: ${stderr.trim()}`, { cause: error })),
    );
  });
  const wall = performance.now() - started;
  const maxRssKb = Number(await readFile(rssFile, 'utf8'));
  return { wall_ms: round(wall), rss_peak_mb: Number((maxRssKb / 1024).toFixed(1)) };
}

/** The real CLI on a 4000x3000 JPEG file: the "photo from a phone" case, start-up included, median of `runs`. */
async function timeCli(flags: BenchFlags, model: tfl.LayersModel, jpeg: Buffer, runs: number) {
  const work = await mkdtemp(path.join(tmpdir(), 'lenet-bench-inference-'));
  try {
    const image = path.join(work, 'photo-4000x3000.jpg');
    await writeFile(image, jpeg);
    const checkpoint = flags.model ?? (await savePlainModel(model, path.join(work, 'model')));
    // Preloaded into the child: records its own peak RSS as it exits (Node reports no child rusage).
    const preload = path.join(work, 'record-rss.js');
    await writeFile(
      preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.LENET_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
    const args = ['--require', preload, repoPath('apps', 'cli', 'bin', 'lenet.js'), 'inference'];
    args.push(
      '--image',
      image,
      '--model',
      checkpoint,
      '--json',
      '--backend',
      flags.backend,
      '--decoder',
      flags.decoder,
    );
    const samples: Array<{ wall_ms: number; rss_peak_mb: number }> = [];
    for (let i = 0; i < runs; i += 1) samples.push(await cliRun(args, path.join(work, 'rss.txt')));
    samples.sort((a, b) => a.wall_ms - b.wall_ms);
    return {
      bytes: jpeg.length,
      runs,
      wall_ms_median: (samples[Math.floor(runs / 2)] as { wall_ms: number }).wall_ms,
      wall_ms_min: (samples[0] as { wall_ms: number }).wall_ms,
      rss_peak_mb: Math.max(...samples.map((s) => s.rss_peak_mb)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function bench(flags: BenchFlags): Promise<void> {
  const print = (line: string) => process.stderr.write(`${line}\n`);
  const choice = await setUpBackend(flags.backend, print);
  const decoder = setUpDecoder(flags.decoder, print);
  const model = flags.model === undefined ? createLenet({ seed: 1 }) : (await loadCheckpoint(flags.model)).model;
  const digit = buildEmbeddedMnist().test.images.subarray(0, 784);
  const png28 = await paperImage(digit, 28, 28, 'image/png');
  const jpeg = await paperImage(digit, 3000, 4000, 'image/jpeg');
  const png_28x28 = await time(model, decoder, png28, flags.runs);
  const jpeg_3000x4000 = await time(model, decoder, jpeg, Math.max(3, Math.floor(flags.runs / 10)));
  const rss_peak_mb = rssPeakMb();
  const photo = await paperImage(digit, 4000, 3000, 'image/jpeg');
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'inference',
      backend: choice.name,
      decoder: decoder.name,
      batch_size: 1,
      what: 'read bytes in memory -> decode -> preprocess -> predict, one image',
      png_28x28,
      jpeg_3000x4000,
      rss_peak_mb,
      cli_jpeg_4000x3000: await timeCli(flags, model, photo, 3),
      machine: machineInfo(),
    })}\n`,
  );
}

runBenchCommand(
  new Command('bench-inference')
    .addOption(backendOption())
    .addOption(decoderOption())
    .addOption(modelOption().default(undefined, 'an untrained LeNet; the cost is the same'))
    .option('--runs <n>', 'timed runs for the small image (a tenth for the large one)', positiveInteger('--runs'), 100)
    .action((flags: BenchFlags) => bench(flags)),
);
