import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSmallMnist } from './fixtures';
import { spawn } from 'node:child_process';
import { LENET_BIN, lines, runCli } from './run-cli';

let work: string;
let dataDir: string;
let outputDir: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-cli-train-'));
  dataDir = path.join(work, 'mnist');
  outputDir = path.join(work, 'run');
  await writeSmallMnist(dataDir, 3000, 500);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lenet train, then lenet test', () => {
  test('when training 3 epochs on real digits, then it prints the backend and an epoch line each, and writes checkpoints, log and report', async () => {
    const run = await runCli([
      'train',
      '--data',
      dataDir,
      '--output',
      outputDir,
      '--epochs',
      '3',
      '--limit',
      '3000',
      '--checkpoint-every',
      '1',
      '--backend',
      'wasm',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out[0]).toMatch(/^backend: wasm /);
    expect(out.filter((line) => /^epoch \d\/3 {2}train loss/.test(line))).toHaveLength(3);
    for (const file of [
      'checkpoint/model.json',
      'epoch-1/model.json',
      'epoch-3/model.json',
      'report.html',
      'log.jsonl',
    ]) {
      expect((await stat(path.join(outputDir, file))).size).toBeGreaterThan(0);
    }
    const log = lines(await readFile(path.join(outputDir, 'log.jsonl'), 'utf8')).map((line) => JSON.parse(line));
    expect(log.filter((entry) => entry.event === 'epoch').map((entry) => entry.epoch)).toEqual([1, 2, 3]);
    expect(await readFile(path.join(outputDir, 'report.html'), 'utf8')).toContain('<svg');
  });

  test('when testing the checkpoint with --json, then accuracy is far above chance and the documented fields are there', async () => {
    const run = await runCli([
      'test',
      '--data',
      dataDir,
      '--model',
      path.join(outputDir, 'checkpoint'),
      '--json',
      '--backend',
      'wasm',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accuracy).toBeGreaterThan(0.85); // chance is 0.1
    expect(result.loss).toBeLessThan(0.6);
    expect(result.per_class).toHaveLength(10);
    expect(result.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(500);
    expect(run.stderr).toMatch(/^backend: wasm/);
  });

  test('when resuming with more epochs, then training continues at the next epoch', async () => {
    const run = await runCli([
      'train',
      '--data',
      dataDir,
      '--output',
      outputDir,
      '--resume',
      path.join(outputDir, 'checkpoint'),
      '--epochs',
      '4',
      '--backend',
      'wasm',
    ]);
    expect(run.code).toBe(0);
    const epochLines = lines(run.stdout).filter((line) => line.startsWith('epoch '));
    expect(epochLines).toHaveLength(1);
    expect(epochLines[0]).toMatch(/^epoch 4\/4 /);
  });
});

describe('bad input', () => {
  const oneErrorLine = (stderr: string) => {
    const errorLines = lines(stderr).filter((line) => !line.startsWith('backend: '));
    expect(errorLines).toHaveLength(1);
    return errorLines[0]!;
  };

  test('when --data has no MNIST files, then exit 1 with one line listing what was looked for', async () => {
    const run = await runCli(['train', '--data', path.join(work, 'empty'), '--output', path.join(work, 'x')]);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run.stderr)).toMatch(/empty.*train-images-idx3-ubyte/);
  });

  test('when an IDX file is truncated, then exit 1 with one line naming the file and the byte counts', async () => {
    const broken = path.join(work, 'broken');
    await writeSmallMnist(broken, 3000, 500);
    // Header promises 500 labels; 3 follow.
    await writeFile(path.join(broken, 't10k-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 1, 244, 1, 2, 3]));
    const run = await runCli(['test', '--data', broken, '--model', path.join(outputDir, 'checkpoint')]);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run.stderr)).toMatch(/t10k-labels-idx1-ubyte.*expected.*found/);
  });

  test.each([
    [['test', '--data', 'data/mnist'], /--model is required/],
    [['test', '--model', '/no/such/checkpoint'], /\/no\/such\/checkpoint: no such checkpoint/],
    [['train', '--epochs', '0'], /--epochs: expected a positive integer, found '0'/],
    [['train', '--backend', 'gpu'], /--backend: expected one of auto, tensorflow, wasm, cpu, found 'gpu'/],
    [['train', '--lr', '-1'], /--lr: expected a number >= 0, found '-1'/],
    [['train', '--no-such-flag'], /unknown option '--no-such-flag'/],
  ])('when run as lenet %j, then exit 1 with one clear line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(1);
    expect(oneErrorLine(run.stderr)).toMatch(message);
  });
});

describe('Ctrl-C during lenet train', () => {
  test('when SIGINT arrives mid-run, then it saves a resumable checkpoint, exits 0, and --resume finishes the run', async () => {
    const interrupted = path.join(work, 'interrupted');
    const child = spawn(
      process.execPath,
      [
        LENET_BIN,
        'train',
        '--data',
        dataDir,
        '--output',
        interrupted,
        '--epochs',
        '50',
        '--limit',
        '3000',
        '--backend',
        'wasm',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (/^epoch 1\/50 /m.test(stdout)) resolve();
      });
      void exited.then((code) =>
        reject(new Error(`lenet train exited with ${code} before its first epoch: ${stdout}`)),
      );
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopping after this batch');
    expect(stdout).toMatch(/stopped; resume with: lenet train .*--resume /);
    const saved = JSON.parse(await readFile(path.join(interrupted, 'checkpoint', 'model.json'), 'utf8'))
      .userDefinedMetadata.lenet;
    expect(saved.epoch).toBeGreaterThanOrEqual(1);
    expect(saved.epoch).toBeLessThan(50);

    const resumed = await runCli([
      'train',
      '--data',
      dataDir,
      '--output',
      interrupted,
      '--resume',
      path.join(interrupted, 'checkpoint'),
      '--epochs',
      String(saved.epoch + 1),
      '--backend',
      'wasm',
    ]);
    expect(resumed.code).toBe(0);
    expect(lines(resumed.stdout).filter((line) => line.startsWith('epoch '))).toEqual([
      expect.stringMatching(new RegExp(`^epoch ${saved.epoch + 1}/${saved.epoch + 1} `)),
    ]);
  });
});
