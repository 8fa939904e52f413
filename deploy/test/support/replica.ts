/**
 * Real `lenet serve` processes for the deployment tests: started on a chosen port, waited for until
 * `/readyz` answers 200, stopped with SIGTERM as Kubernetes stops a pod.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { REPO } from './server-facts';

/** The built CLI; `lenet serve` is what the image and the rollout run. */
export const LENET_BIN = path.join(REPO, 'apps', 'cli', 'bin', 'lenet.js');

/** A running replica. */
export interface Replica {
  port: number;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last few KB of stdout and stderr, for failure messages. */
  output(): string;
}

/**
 * `count` distinct TCP ports that were free a moment ago on 127.0.0.1 (held open together while
 * chosen, so no two are the same).
 *
 * @example
 * await freePorts(2); // [41235, 41236]
 */
export async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    probes.map(
      (probe) =>
        new Promise<number>((resolve, reject) => {
          probe.once('error', reject);
          probe.listen(0, '127.0.0.1', () => {
            const address = probe.address();
            resolve(typeof address === 'object' && address !== null ? address.port : 0);
          });
        }),
    ),
  );
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

/**
 * Starts `lenet serve` with one worker on `port` (warnings and errors logged only). Does not wait:
 * see {@link waitReady}.
 *
 * @example
 * const replica = startReplica({ checkpoint: fixture.checkpoint, port: 41235 });
 * await waitReady(replica); // GET /readyz -> 200
 */
export function startReplica(options: { checkpoint: string; port: number; args?: string[] }): Replica {
  const args = ['serve', '--model', options.checkpoint, '--host', '127.0.0.1', '--port', String(options.port)];
  args.push('--workers', '1', '--backend', 'wasm', '--log-level', 'warn', ...(options.args ?? []));
  return supervise(spawn(process.execPath, [LENET_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }), options.port);
}

/**
 * Starts the server as the container image does (`node apps/server/bin/lenet-server.js`, configured
 * by environment variables only) from another installed tree `root`. Does not wait: see {@link waitReady}.
 *
 * @example
 * const replica = startImageServer({ root: '/tmp/runtime', port: 41235, env: { MODEL: checkpoint, HOST: '127.0.0.1' } });
 */
export function startImageServer(options: { root: string; port: number; env: Record<string, string> }): Replica {
  const bin = path.join(options.root, 'apps', 'server', 'bin', 'lenet-server.js');
  const env = { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port) };
  return supervise(
    spawn(process.execPath, [bin], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    options.port,
  );
}

/** A replica around a started child: its exit code, and the last 8 KB of its output for failure messages. */
function supervise(child: ChildProcess, port: number): Replica {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { port, url: `http://127.0.0.1:${port}`, child, exited, output: () => output };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `/readyz` until it answers 200; throws if the process exits first or `timeoutMs` passes.
 *
 * @example
 * await waitReady(replica, 60_000);
 */
export async function waitReady(replica: Replica, timeoutMs = 60_000): Promise<void> {
  let exitCode: number | null | undefined;
  void replica.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`replica on port ${replica.port} exited with ${exitCode}: ${replica.output()}`);
    try {
      const response = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet: the port opens after the model is loaded and warmed up.
    }
    await sleep(100);
  }
  throw new Error(`replica on port ${replica.port}: /readyz not 200 within ${timeoutMs} ms: ${replica.output()}`);
}

/**
 * Sends SIGTERM and waits for the exit code; SIGKILLs and throws after `timeoutMs`.
 *
 * @example
 * await stopReplica(replica); // 0
 */
export async function stopReplica(replica: Replica, timeoutMs = 30_000): Promise<number | null> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return replica.exited;
  replica.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([replica.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    replica.child.kill('SIGKILL');
    throw new Error(`replica on port ${replica.port} still running ${timeoutMs} ms after SIGTERM: ${replica.output()}`);
  }
  return result;
}

/** SIGKILLs a replica that is still running (cleanup after a failed test). */
export function killReplica(replica: Replica | undefined): void {
  if (replica !== undefined && replica.child.exitCode === null && replica.child.signalCode === null) {
    replica.child.kill('SIGKILL');
  }
}
