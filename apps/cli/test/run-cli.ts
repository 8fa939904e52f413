import { execFile } from 'node:child_process';
import { repoPath } from '../src/repo-root';

/** Path of the built CLI entry point that `npx lenet` runs. */
export const LENET_BIN = repoPath('apps', 'cli', 'bin', 'lenet.js');

/** What a finished `lenet` child process printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real, built `lenet` binary as a child process (the tests never call command code in-process).
 *
 * @example
 * const run = await runCli(['test', '--model', dir]); // { code: 0, stdout: '...', stderr: '' }
 */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LENET_BIN, ...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 300_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Lines of a stream without the trailing empty one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/**
 * `lenet train` on `data`, one worker, wasm, 1 epoch unless `extra` says otherwise.
 *
 * @example
 * await runCli(smallTrainArgs('/tmp/data', '/tmp/run', '--force'));
 */
export function smallTrainArgs(data: string, output: string, ...extra: string[]): string[] {
  return [
    'train',
    '--data',
    data,
    '--output',
    output,
    '--epochs',
    '1',
    '--workers',
    '1',
    '--backend',
    'wasm',
    ...extra,
  ];
}

/** stderr lines other than the backend line every command prints first. */
export const errorLines = (stderr: string): string[] => lines(stderr).filter((line) => !line.startsWith('backend: '));
