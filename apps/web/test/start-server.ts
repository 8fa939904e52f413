/** The real server as a child process on a free port, the way an operator starts it. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { once } from 'node:events';

const SERVER_BIN = path.resolve(__dirname, '..', '..', 'server', 'bin', 'lenet-server.js');

/** A running server and how to stop it. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, as the server reported it. */
  url: string;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `lenet-server --model <checkpoint> --port 0` and waits for its "listening on <url>" line.
 *
 * @example
 * const server = await startServer('/tmp/run/checkpoint');
 * server.url; // 'http://127.0.0.1:41237'
 * await server.stop();
 */
export async function startServer(checkpoint: string, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [SERVER_BIN, '--model', checkpoint, '--port', '0', '--host', '127.0.0.1', '--workers', '1', '--backend', 'wasm'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`lenet-server: expected "listening on <url>" within ${timeoutMs} ms, found:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lenet-server exited with code ${code} before listening:\n${output}`));
    });
  });
  return { url, output: () => output, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
