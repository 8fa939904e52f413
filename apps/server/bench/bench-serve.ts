/**
 * `npm run bench:serve`: starts the real server (bin/lenet-server.js, its own process) and measures
 * requests/second, p50/p99 latency and the server's peak resident memory for a 28x28 PNG, a 280x280
 * and a 1000x1000 JPEG (at 1, 8 and 64 connections) and a 4000x3000 phone JPEG (at 8). Prints one
 * JSON object on stdout; progress on stderr. Server flags go after `--`:
 * `npm run bench:serve -- --seconds 5 --images png28 -- --workers 1 --log-level warn`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BENCH_IMAGES, multipart } from './bench-images';
import { type LoadResult, pickLoadGenerator } from './load-generator';
import { backendOf, ensureCheckpoint, startServerProcess, statusMb, withRssPeak } from './server-process';

const BOUNDARY = '----lenet-bench-boundary';

/** The tutorial rebuilt with PyTorch + FastAPI + uvicorn on the same kind of machine (from the issue). */
const BASELINE = {
  png28: { requestsPerSecond: 1150, p99Ms: 61 },
  jpeg280: { requestsPerSecond: 870, p99Ms: null },
} as const;

interface Options {
  model: string;
  seconds: number;
  warmup: number;
  connections?: number[];
  images: string[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function count(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected an integer >= ${min}, found '${value}'`);
    return n;
  };
}

function list<T>(parse: (item: string) => T): (value: string) => T[] {
  return (value) => value.split(',').map(parse);
}

function imageName(value: string): string {
  if (!Object.hasOwn(BENCH_IMAGES, value))
    throw new InvalidArgumentError(`expected ${Object.keys(BENCH_IMAGES).join(', ')}, found '${value}'`);
  return value;
}

type Result = { image: string; bytes: number; connections: number; rssPeakMb: number | null } & LoadResult;

async function measure(options: Options, serverArgs: string[], workDir: string) {
  const model = await ensureCheckpoint(path.resolve(options.model), workDir);
  const generator = pickLoadGenerator();
  const logFile = path.join(workDir, 'server.log');
  const server = await startServerProcess(['--model', model, ...serverArgs], logFile);
  const backend = backendOf(logFile);
  log(`server ${server.url} (${backend}); load generator ${generator.name}`);
  const results: Result[] = [];
  try {
    for (const key of options.images) {
      const image = BENCH_IMAGES[key];
      if (image === undefined) continue;
      const bytes = await image.make();
      const load = {
        url: `${server.url}/predict`,
        body: multipart(bytes, image.name, image.type, BOUNDARY),
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      };
      for (const c of options.connections ?? image.connections) {
        if (options.warmup > 0) await generator.run({ ...load, connections: c, seconds: options.warmup }, workDir);
        const { result, rssPeakMb } = await withRssPeak(server.pid, () =>
          generator.run({ ...load, connections: c, seconds: options.seconds }, workDir),
        );
        log(
          `${image.label} x ${c} connections: ${round(result.requestsPerSecond)} req/s, p50 ${round(result.p50Ms, 2)} ms, p99 ${round(result.p99Ms, 2)} ms, errors ${result.errors}, server RSS peak ${rssPeakMb ?? '?'} MiB`,
        );
        results.push({
          image: key,
          bytes: bytes.length,
          connections: c,
          ...result,
          requestsPerSecond: round(result.requestsPerSecond),
          p50Ms: round(result.p50Ms, 2),
          p99Ms: round(result.p99Ms, 2),
          rssPeakMb,
        });
      }
    }
    return { generator: generator.name, backend, results, rssHighWaterMb: statusMb(server.pid, 'VmHWM') };
  } finally {
    await server.stop();
  }
}

function versus(results: Result[], image: 'png28' | 'jpeg280') {
  const ours = results.find((r) => r.image === image && r.connections === 64);
  const base = BASELINE[image];
  if (ours === undefined) return null;
  return {
    baseline: base,
    throughput_ratio: round(ours.requestsPerSecond / base.requestsPerSecond, 2),
    p99_ratio: base.p99Ms === null ? null : round(ours.p99Ms / base.p99Ms, 2),
    meets_target:
      ours.requestsPerSecond >= 3 * base.requestsPerSecond && (base.p99Ms === null || ours.p99Ms <= base.p99Ms / 3),
  };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('bench-serve')
    .description('Load-test the real server and print one JSON object')
    .option('--model <checkpoint>', 'checkpoint to serve (a small one is trained when missing)', 'output/checkpoint')
    .option('--seconds <n>', 'seconds per measured run', count(1), 8)
    .option('--warmup <n>', 'seconds of warm-up before each run', count(0), 2)
    .option('--connections <list>', 'connection counts for every image (default: per image)', list(count(1)))
    .option(
      '--images <list>',
      `images to send: ${Object.keys(BENCH_IMAGES).join(',')}`,
      list(imageName),
      Object.keys(BENCH_IMAGES),
    )
    .argument('[server-flags...]', 'flags for lenet-server, after --')
    .showHelpAfterError();
  program.parse(argv, { from: 'user' });
  const options = program.opts<Options>();
  const serverArgs = program.args;
  const workDir = await mkdtemp(path.join(tmpdir(), 'lenet-bench-serve-'));
  try {
    const run = await measure(options, serverArgs, workDir);
    const report = {
      generator: run.generator,
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memory_gb: round(totalmem() / 2 ** 30),
        node: process.version,
      },
      server: {
        backend: run.backend,
        flags: serverArgs,
        seconds_per_run: options.seconds,
        warmup_seconds: options.warmup,
        rss_high_water_mb: run.rssHighWaterMb,
      },
      results: run.results,
      versus_tutorial_at_64_connections: {
        png28: versus(run.results, 'png28'),
        jpeg280: versus(run.results, 'jpeg280'),
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
