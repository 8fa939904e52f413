/**
 * Starting the real server for a test: in-process on port 0 (`startServer`), or as a child process
 * through its bin for start-up, logging and signal tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseServerConfig, startServer, type RunningServer } from '@lenet/serving';
import { createLogger } from '../../src/logger';
import { SERVER_BIN } from './fixtures';

/**
 * Starts the server in this process on a free port, quiet unless something goes wrong.
 *
 * @example
 * const server = await startTestServer(fixture.checkpoint, ['--workers', '2']);
 */
export function startTestServer(checkpoint: string, args: string[] = []): Promise<RunningServer> {
  const config = parseServerConfig(
    ['--model', checkpoint, '--port', '0', '--workers', '1', '--backend', 'wasm', ...args],
    {},
  );
  return startServer(config, { logger: createLogger({ level: 'error', pretty: false }) });
}

/** A server running as a child process. */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Runs `bin/lenet-server.js` with `args` and waits for its "listening on" line, logged at info
 * (so not with --log-level warn). Kills the child if that line has not come within 60 s.
 *
 * @example
 * const server = await spawnServer(['--model', checkpoint, '--port', '0']);
 * server.child.kill('SIGTERM'); await server.exited; // 0
 */
export function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [SERVER_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`server did not log "listening on" within 60 s; stdout: ${lines.join('\n')}; stderr: ${stderr}`),
      );
    }, 60_000);
    void exited.then(() => clearTimeout(timer));
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const url = /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1];
        if (url !== undefined) {
          clearTimeout(timer);
          resolve({ child, url, lines, stderr: () => stderr, exited });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) =>
      reject(Object.assign(new Error(`server exited with ${code} before listening: ${stderr}`), { code, stderr })),
    );
  });
}
