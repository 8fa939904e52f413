/**
 * The server under test as its own process (bin/lenet-server.js), with its resident memory
 * sampled from /proc while the load runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildEmbeddedMnist, writeMnistFolder } from '@lenet/data';

const SERVER_ROOT = path.dirname(require.resolve('@lenet/server/package.json'));
const SERVER_BIN = path.join(SERVER_ROOT, 'bin', 'lenet-server.js');
/** The CLI, run as a program (not imported) to train a checkpoint when none is given. */
const CLI_BIN = path.join(SERVER_ROOT, '..', 'cli', 'bin', 'lenet.js');

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A running server process. */
export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<number | null>;
}

/**
 * A checkpoint to serve: `model` when it exists, else a small one trained now (weights do not change the speed).
 *
 * @example
 * await ensureCheckpoint('output/checkpoint', workDir); // 'output/checkpoint', or `${workDir}/run/checkpoint`
 */
export async function ensureCheckpoint(model: string, workDir: string): Promise<string> {
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

/**
 * Starts the server as its own process and waits until /readyz says ready (at any log level).
 *
 * @example
 * const server = await startServerProcess(['--model', model, '--workers', '2'], logFile);
 * server.url; // 'http://127.0.0.1:41873'
 * await server.stop(); // 0
 */
export async function startServerProcess(args: string[], logFile: string): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Logs go to a file, as a process manager would take them, rather than back through a pipe to us;
  // `exec` makes the shell's pid the server's, so /proc/<pid> is the server.
  const child = spawn(
    'sh',
    ['-c', `exec "$0" "$@" > "${logFile}"`, process.execPath, SERVER_BIN, ...args, '--port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
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
    if (ready && child.pid !== undefined) return { url, pid: child.pid, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`server not ready within 60 s: ${stderr.trim()}`);
}

/**
 * A `kB` field of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak so far); null off Linux.
 *
 * @example
 * statusMb(server.pid, 'VmHWM'); // 412
 */
export function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/**
 * Polls the server's resident memory every 100 ms while `work` runs and returns the highest value
 * seen, in MiB (VmHWM cannot be reset, so a per-case peak has to be sampled).
 *
 * @example
 * const { result, rssPeakMb } = await withRssPeak(server.pid, () => generator.run(load, dir)); // rssPeakMb: 212
 */
export async function withRssPeak<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; rssPeakMb: number | null }> {
  let peak: number | null = statusMb(pid, 'VmRSS');
  const timer = setInterval(() => {
    const now = statusMb(pid, 'VmRSS');
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, 100);
  try {
    const result = await work();
    return { result, rssPeakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The backend line the server logged at start, when its log level shows it.
 *
 * @example
 * backendOf(logFile); // 'backend: wasm (SIMD, 1 thread)'
 */
export function backendOf(logFile: string): string {
  try {
    return /backend: [^"\n]+/.exec(readFileSync(logFile, 'utf8'))?.[0] ?? 'see the server log (--log-level info)';
  } catch {
    return 'unknown';
  }
}
