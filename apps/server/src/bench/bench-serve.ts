/**
 * `npm run bench:serve`: starts the real server (bin/lenet-server.js, its own process) and measures
 * requests/second and p50/p99 latency at 1, 8 and 64 connections for a 28x28 PNG, a 280x280 JPEG
 * (the tutorial's comparison) and a 1000x1000 JPEG. Prints one JSON object on stdout; progress on
 * stderr. Flags: --model <checkpoint> (default output/checkpoint; trained on the fly if missing),
 * --seconds <n> (8), --warmup <n> (2), --connections 1,8,64, --images png28,jpeg280,jpeg1000,
 * and server flags passed through after `--` (e.g. `-- --workers 1 --log-level warn`).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { Jimp } from 'jimp';
import { buildEmbeddedMnist, writeMnistFolder } from '@lenet/data';
import { pickLoadGenerator, type LoadResult } from './load-generator';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const SERVER_BIN = path.join(REPO, 'apps', 'server', 'bin', 'lenet-server.js');
const CLI_BIN = path.join(REPO, 'apps', 'cli', 'bin', 'lenet.js');
const BOUNDARY = '----lenet-bench-boundary';

/** The tutorial rebuilt with PyTorch + FastAPI + uvicorn on the same kind of machine (from the issue). */
const BASELINE = {
  png28: { requestsPerSecond: 1150, p99Ms: 61 },
  jpeg280: { requestsPerSecond: 870, p99Ms: null },
} as const;

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function digitImage(size: number, mime: 'image/png' | 'image/jpeg'): Promise<Buffer> {
  const { test } = buildEmbeddedMnist();
  const digit = test.images.subarray(0, 784);
  const image = new Jimp({ width: 28, height: 28, color: 0xffffffff });
  for (let i = 0; i < 784; i += 1) {
    // PNG as in MNIST (white on black); JPEGs as a photo of paper (black on white).
    const v = mime === 'image/png' ? digit[i]! : 255 - digit[i]!;
    image.bitmap.data.set([v, v, v, 255], i * 4);
  }
  if (size !== 28) image.resize({ w: size, h: size });
  return mime === 'image/png' ? image.getBuffer('image/png') : image.getBuffer('image/jpeg', { quality: 90 });
}

function multipart(bytes: Buffer, name: string, type: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

async function ensureCheckpoint(model: string, workDir: string): Promise<string> {
  if (existsSync(model)) return model;
  log(`${model} not found: training a small checkpoint for the benchmark (weights do not change the speed)`);
  const { train, test } = buildEmbeddedMnist();
  const data = path.join(workDir, 'mnist');
  const cut = (split: typeof train, count: number) => ({
    images: split.images.subarray(0, count * 784),
    labels: split.labels.subarray(0, count),
    count,
  });
  await writeMnistFolder(data, { train: cut(train, 1000), test: cut(test, 200) });
  execFileSync(
    process.execPath,
    [CLI_BIN, 'train', '--data', data, '--epochs', '1', '--limit', '1000', '--output', path.join(workDir, 'run')],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return path.join(workDir, 'run', 'checkpoint');
}

interface RunningChild {
  url: string;
  stop(): Promise<number | null>;
}

/** A port free right now, for a server that must be told its port up front. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server as its own process and waits until /readyz says ready (at any log level). */
async function startServerProcess(args: string[], logFile: string): Promise<RunningChild> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Logs go to a file, as a process manager would take them, rather than back through a pipe to us.
  const child = spawn(
    'sh',
    ['-c', `exec "$0" "$@" > "${logFile}"`, process.execPath, SERVER_BIN, ...args, '--port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const stop = () => {
    if (exitCode === undefined) child.kill('SIGTERM');
    return exited;
  };
  // A benchmark stopped with Ctrl-C must not leave its server behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stop().then(() => process.exit(130)));
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before it was ready: ${stderr.trim()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`server not ready within 60 s: ${stderr.trim()}`);
}

/** The backend line the server logged at start, when its log level shows it. */
function backendOf(logFile: string): string {
  try {
    return /backend: [^"\n]+/.exec(readFileSync(logFile, 'utf8'))?.[0] ?? 'see the server log (--log-level info)';
  } catch {
    return 'unknown';
  }
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dashDash = argv.indexOf('--');
  const args = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const serverArgs = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  const seconds = Number(flag(args, '--seconds', '8'));
  const warmup = Number(flag(args, '--warmup', '2'));
  const connections = flag(args, '--connections', '1,8,64').split(',').map(Number);
  const wanted = flag(args, '--images', 'png28,jpeg280,jpeg1000').split(',');
  const workDir = await mkdtemp(path.join(tmpdir(), 'lenet-bench-serve-'));
  try {
    const model = await ensureCheckpoint(path.resolve(flag(args, '--model', 'output/checkpoint')), workDir);
    const generator = pickLoadGenerator();
    const images = {
      png28: { label: '28x28 PNG', bytes: await digitImage(28, 'image/png'), name: 'digit.png', type: 'image/png' },
      jpeg280: {
        label: '280x280 JPEG',
        bytes: await digitImage(280, 'image/jpeg'),
        name: 'digit.jpg',
        type: 'image/jpeg',
      },
      jpeg1000: {
        label: '1000x1000 JPEG',
        bytes: await digitImage(1000, 'image/jpeg'),
        name: 'photo.jpg',
        type: 'image/jpeg',
      },
    };
    const logFile = path.join(workDir, 'server.log');
    const server = await startServerProcess(['--model', model, ...serverArgs], logFile);
    const backend = backendOf(logFile);
    const settings = { args: serverArgs, log: logFile };
    log(`server ${server.url} (${backend}); load generator ${generator.name}`);
    const results: Array<{ image: string; bytes: number; connections: number } & LoadResult> = [];
    try {
      for (const key of wanted) {
        const image = images[key as keyof typeof images];
        if (image === undefined) throw new Error(`--images: expected png28, jpeg280 or jpeg1000, found '${key}'`);
        const body = multipart(image.bytes, image.name, image.type);
        const load = { url: `${server.url}/predict`, body, contentType: `multipart/form-data; boundary=${BOUNDARY}` };
        for (const c of connections) {
          if (warmup > 0) await generator.run({ ...load, connections: c, seconds: warmup }, workDir);
          const result = await generator.run({ ...load, connections: c, seconds }, workDir);
          log(
            `${image.label} x ${c} connections: ${round(result.requestsPerSecond)} req/s, p50 ${round(result.p50Ms, 2)} ms, p99 ${round(result.p99Ms, 2)} ms, errors ${result.errors}`,
          );
          results.push({
            image: key,
            bytes: image.bytes.length,
            connections: c,
            ...result,
            requestsPerSecond: round(result.requestsPerSecond),
            p50Ms: round(result.p50Ms, 2),
            p99Ms: round(result.p99Ms, 2),
          });
        }
      }
    } finally {
      await server.stop();
    }
    const at64 = (image: string) => results.find((r) => r.image === image && r.connections === 64);
    const versus = (image: 'png28' | 'jpeg280') => {
      const ours = at64(image);
      const base = BASELINE[image];
      return ours === undefined
        ? null
        : {
            baseline: base,
            throughput_ratio: round(ours.requestsPerSecond / base.requestsPerSecond, 2),
            p99_ratio: base.p99Ms === null ? null : round(ours.p99Ms / base.p99Ms, 2),
            meets_target:
              ours.requestsPerSecond >= 3 * base.requestsPerSecond &&
              (base.p99Ms === null || ours.p99Ms <= base.p99Ms / 3),
          };
    };
    process.stdout.write(
      `${JSON.stringify(
        {
          generator: generator.name,
          machine: {
            cpus: cpus().length,
            cpu: cpus()[0]?.model ?? 'unknown',
            memory_gb: round(totalmem() / 2 ** 30),
            node: process.version,
          },
          server: { backend, flags: settings.args, seconds_per_run: seconds, warmup_seconds: warmup },
          results,
          versus_tutorial_at_64_connections: { png28: versus('png28'), jpeg280: versus('jpeg280') },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
