import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSmallMnist } from './fixtures';
import { LENET_BIN, lines, runCli, errorLines, smallTrainArgs } from './run-cli';

let work: string;
let data: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-cli-run-folder-'));
  data = path.join(work, 'mnist');
  await writeSmallMnist(data, 500, 100);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const trainArgs = (output: string, ...extra: string[]) => smallTrainArgs(data, output, ...extra);

const logEvents = async (output: string) =>
  lines(await readFile(path.join(output, 'log.jsonl'), 'utf8')).map((line) => JSON.parse(line).event);

describe('lenet train on a folder that already holds a checkpoint', () => {
  const output = () => path.join(work, 'trained');

  test('when trained again without --resume or --force, then exit 1 with one line pointing to them, and the checkpoint is untouched', async () => {
    expect((await runCli(trainArgs(output()))).code).toBe(0);
    const before = await readFile(path.join(output(), 'checkpoint', 'model.json'), 'utf8');
    const run = await runCli(trainArgs(output()));
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      `error: --output ${output()} already holds a checkpoint (${path.join(output(), 'checkpoint')}); continue it with --resume ${path.join(output(), 'checkpoint')}, pick another --output, or replace it with --force`,
    ]);
    expect(await readFile(path.join(output(), 'checkpoint', 'model.json'), 'utf8')).toBe(before);
  });

  test('when resuming a finished run, then one line says it is complete, exit 0, nothing retrained', async () => {
    const run = await runCli(trainArgs(output(), '--resume', path.join(output(), 'checkpoint')));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/training epochs/);
    expect(lines(run.stdout).slice(1)).toEqual([
      `${path.join(output(), 'checkpoint', 'model.json')} has already trained 1 of 1 epochs: nothing to do (pass a larger --epochs to train on)`,
    ]);
  });

  test('when trained again with --force, then it starts over from epoch 1 and the log marks both runs', async () => {
    await mkdir(path.join(output(), 'epoch-10'));
    await writeFile(path.join(output(), 'epoch-10', 'model.json'), '{}');
    const run = await runCli(trainArgs(output(), '--force', '--seed', '2'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^training epochs 1-1/m);
    expect(await readdir(output())).not.toContain('epoch-10');
    const saved = JSON.parse(await readFile(path.join(output(), 'checkpoint', 'model.json'), 'utf8'));
    expect(saved.userDefinedMetadata.lenet.hyperparameters.seed).toBe(2);
    expect((await logEvents(output())).filter((event) => event === 'run-start')).toHaveLength(2);
  });
});

describe('the run folder lock', () => {
  test('when a second lenet train starts on a busy --output, then it fails at once naming the first one PID', async () => {
    const output = path.join(work, 'busy');
    const first = spawn(process.execPath, [LENET_BIN, ...trainArgs(output, '--epochs', '50')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        let stdout = '';
        first.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          if (stdout.includes('training epochs')) resolve();
        });
        void exited.then((code) => reject(new Error(`first run exited with ${code}: ${stdout}`)));
      });
      const started = Date.now();
      const second = await runCli(trainArgs(output));
      expect(second.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(errorLines(second.stderr)).toEqual([
        expect.stringContaining(`error: ${output}: in use by another lenet train (PID ${first.pid})`),
      ]);
    } finally {
      first.kill('SIGINT');
      await exited;
    }
    // The first run saved on Ctrl-C and released its lock; the second left no trace in the log.
    await expect(stat(path.join(output, '.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await logEvents(output)).filter((event) => event === 'run-start')).toHaveLength(1);
  });

  test('when a crashed run left its lock and temporary files, then the next run takes over with a warning and removes them', async () => {
    const output = path.join(work, 'crashed');
    await mkdir(path.join(output, 'checkpoint'), { recursive: true });
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(path.join(output, '.lock'), `${dead.pid}\n`);
    const stale = path.join(output, 'checkpoint', '.weights.0123456789abcdef.bin.tmp-1-2');
    await writeFile(stale, 'half');
    const run = await runCli(trainArgs(output));
    expect(run.code).toBe(0);
    expect(errorLines(run.stderr)).toEqual([
      `warning: ${output}: taking over the lock of PID ${dead.pid}, which is no longer running (a crashed or killed run)`,
      `warning: removed 1 temporary file left by an interrupted run in ${output}`,
    ]);
    expect((await readdir(path.join(output, 'checkpoint'))).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});

describe('kill -9 at any moment', () => {
  // KILL_CYCLES=20 for the long run; 5 in npm test.
  const cycles = Number(process.env.KILL_CYCLES ?? 5);
  test(
    `when training is killed ${cycles} times at spread-out moments and resumed each time, then it finishes with no lock or temporary file left`,
    async () => {
      const output = path.join(work, 'killed');
      const checkpoint = path.join(output, 'checkpoint');
      const args = async () => {
        const resumable = await stat(path.join(checkpoint, 'model.json')).then(
          () => true,
          () => false,
        );
        return trainArgs(
          output,
          '--epochs',
          String(Math.max(3, Math.ceil(cycles / 2))),
          ...(resumable ? ['--resume', checkpoint] : []),
        );
      };
      // Spread over start-up, the batches, the evaluation and the checkpoint writes of a ~1 s epoch.
      const spread = [700, 1500, 2300, 1100, 1900];
      for (let i = 0; i < cycles; i += 1) {
        const delay = (spread[i % spread.length] ?? 700) + 97 * Math.floor(i / spread.length);
        const child = spawn(process.execPath, [LENET_BIN, ...(await args())], { stdio: 'ignore' });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await new Promise((resolve) => setTimeout(resolve, delay));
        child.kill('SIGKILL');
        await exited;
      }
      const last = await runCli(await args());
      expect(last.code).toBe(0);
      expect(lines(last.stderr).filter((line) => !line.startsWith('warning: '))).toEqual([]);
      expect((await logEvents(output)).at(-1)).toBe('finished');
      const files = await readdir(output, { recursive: true });
      expect(files.filter((file) => file.includes('.tmp-') || file.endsWith('.lock'))).toEqual([]);
      const saved = JSON.parse(await readFile(path.join(checkpoint, 'model.json'), 'utf8'));
      expect(saved.userDefinedMetadata.lenet.epoch).toBe(Math.max(3, Math.ceil(cycles / 2)));
    },
    60_000 + cycles * 5_000,
  );
});

describe('an output folder that cannot be written', () => {
  test('when --output is under /proc, then it fails at once with one clear line instead of spinning', async () => {
    const started = Date.now();
    const run = await runCli(trainArgs('/proc/x'), { timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      'error: /proc/x: expected a folder this process can create and write, found /proc/x cannot be created (the file system refuses it)',
    ]);
  });

  test('when --output is inside a file, then it fails before training, naming the file', async () => {
    await writeFile(path.join(work, 'a-file'), 'x');
    const run = await runCli(trainArgs(path.join(work, 'a-file', 'run')));
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/^epoch /m);
    expect(errorLines(run.stderr)).toEqual([expect.stringContaining(`found a file at ${path.join(work, 'a-file')}`)]);
  });
});
