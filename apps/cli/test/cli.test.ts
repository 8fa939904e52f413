import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lines, runCli } from './run-cli';
import { repoPath } from '../src/repo-root';

async function versionOf(packageJson: string): Promise<string> {
  return (JSON.parse(await readFile(packageJson, 'utf8')) as { version: string }).version;
}

describe('lenet conventions', () => {
  test('when run with no arguments, then it prints the help on stdout and exits 0', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: lenet \[options\] \[command\]/);
    for (const command of ['train', 'test', 'inference', 'evaluate-uploads', 'serve']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  test.each([['--version'], ['-V']])(
    'when run with %s, then it prints the lenet and TensorFlow.js versions and the installed backends',
    async (flag) => {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      const cli = await versionOf(repoPath('apps', 'cli', 'package.json'));
      const tfjs = await versionOf(repoPath('node_modules', '@tensorflow', 'tfjs-core', 'package.json'));
      const out = lines(run.stdout);
      expect(out.slice(0, 2)).toEqual([`lenet ${cli}`, `TensorFlow.js ${tfjs} (tfjs-core)`]);
      // wasm and cpu are dependencies of this workspace; native TensorFlow is optional.
      expect(out[2]).toMatch(/^backends: (tensorflow, )?wasm, cpu( \(not installed: tensorflow\))?$/);
    },
  );

  test.each([['test'], ['inference'], ['evaluate-uploads']])(
    'when asked for %s --help, then commander prints every flag with the shared --backend choices',
    async (command) => {
      const run = await runCli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: lenet ${command} \\[options\\]`));
      expect(run.stdout).toContain('--model <path>');
      expect(run.stdout.replace(/\s+/g, ' ')).toContain(
        '(choices: "auto", "tensorflow", "wasm", "cpu", default: "auto")',
      );
    },
  );

  test.each([
    [
      ['test', '--backend', 'gpu', '--model', 'x'],
      "error: --backend: expected one of auto, tensorflow, wasm, cpu, found 'gpu'",
    ],
    [['inference', '--max-pixels', '0'], "error: --max-pixels: expected a positive integer, found '0'"],
    [['test', '--bogus'], "error: unknown option '--bogus'"],
    [['nope'], "error: unknown command 'nope'"],
  ])('when run as lenet %j, then one error line on stderr and exit 1', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([message]);
  });

  test('when the default data folder does not exist, then one short line says how to make it', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'lenet-cli-no-data-'));
    try {
      const run = await runCli(['train', '--output', path.join(empty, 'run')], { cwd: empty });
      expect(run.code).toBe(1);
      expect(lines(run.stderr).filter((line) => line.startsWith('error: '))).toEqual([
        'error: no MNIST IDX files in data/mnist (expected train-images-idx3-ubyte[.gz] and 3 more; npm run data makes data/mnist)',
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
