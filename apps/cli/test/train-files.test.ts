import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeSmallMnist } from './fixtures';
import { type CliRun, LENET_BIN, lines, runCli, errorLines, smallTrainArgs } from './run-cli';

let work: string;
let data: string;
let trained: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-cli-train-files-'));
  data = path.join(work, 'mnist');
  await writeSmallMnist(data, 500, 100);
  trained = path.join(work, 'trained');
  const run = await runCli(trainArgs(trained));
  if (run.code !== 0) throw new Error(`training the fixture failed: ${run.stderr}`);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const trainArgs = (output: string, ...extra: string[]) => smallTrainArgs(data, output, ...extra);

/** Every file under `dir`, relative. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** A copy of the trained checkpoint whose model.json is passed through `edit`. */
async function editedCopy(name: string, edit: (json: any, dir: string) => Promise<void> | void): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  const source = path.join(trained, 'checkpoint');
  for (const file of await readdir(source)) await copyFile(path.join(source, file), path.join(dir, file));
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  await edit(json, dir);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

describe('a disk that fills up during training', () => {
  test('when saving hits a file size limit, then exit 1 with one line naming the checkpoint and no temporary file is left', async () => {
    const output = path.join(work, 'full');
    // ulimit -f 100: writes past 100 KB fail with EFBIG after writing part, as on a full disk; weights are 241 KB.
    const run = await new Promise<CliRun>((resolve) => {
      execFile(
        'bash',
        ['-c', 'ulimit -f 100 && exec "$0" "$@"', process.execPath, LENET_BIN, ...trainArgs(output)],
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/^error: .*checkpoint: could not save the checkpoint \(EFBIG: file too large/),
    ]);
    expect((await allFiles(output)).filter((file) => file.includes('.tmp-'))).toEqual([]);
  });
});

describe('checkpoints that must not load', () => {
  test('when --resume names a checkpoint with NaN weights, then exit 1 with CHECKPOINT_NON_FINITE in one line', async () => {
    const broken = await editedCopy('nan', async (json, dir) => {
      const weights = path.join(dir, json.weightsManifest[0].paths[0]);
      const bytes = await readFile(weights);
      bytes.writeFloatLE(Number.NaN, 0);
      await writeFile(weights, bytes);
    });
    const run = await runCli(trainArgs(path.join(work, 'nan-run'), '--resume', broken, '--epochs', '2'));
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([expect.stringContaining('expected finite numbers, found NaN at index 0')]);
  });

  test('when model.json names ../../file as its weights, then lenet test and lenet train --resume refuse it', async () => {
    const outside = await editedCopy('outside', (json) => {
      json.weightsManifest[0].paths = [`../trained/checkpoint/${json.weightsManifest[0].paths[0]}`];
    });
    for (const args of [
      ['test', '--data', data, '--model', outside, '--backend', 'wasm'],
      trainArgs(path.join(work, 'outside-run'), '--resume', outside, '--epochs', '2'),
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(1);
      expect(errorLines(run.stderr)).toEqual([
        expect.stringContaining('weightsManifest[0].paths[0]: expected a file name inside the checkpoint folder'),
      ]);
    }
  });

  test('when the metadata epoch is not a number, then the error names the field', async () => {
    const bad = await editedCopy('bad-epoch', (json) => {
      json.userDefinedMetadata.lenet.epoch = 'x';
    });
    const run = await runCli(trainArgs(path.join(work, 'bad-epoch-run'), '--resume', bad, '--epochs', '2'));
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      `error: ${path.join(bad, 'model.json')}: userDefinedMetadata.lenet.epoch: expected a non-negative integer, found "x"`,
    ]);
  });
});

describe('data folders that must not load', () => {
  test('when the training images are a gzip bomb, then it is refused within seconds, naming the file', async () => {
    const bombed = path.join(work, 'bomb');
    await writeSmallMnist(bombed, 500, 100);
    const raw = path.join(bombed, 'train-images-idx3-ubyte');
    const zeros = gzipSync(Buffer.alloc(16 << 20));
    // The real images gzipped, then 64 gzip members of 16 MiB of zeros: 1 GiB once inflated.
    await writeFile(`${raw}.gz`, Buffer.concat([gzipSync(await readFile(raw)), ...Array(64).fill(zeros)]));
    await rm(raw);
    const started = Date.now();
    const run = await runCli(['train', '--data', bombed, '--output', path.join(work, 'bomb-run'), '--backend', 'wasm']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/^error: .*train-images-idx3-ubyte\.gz: expected \d+ bytes once inflated/),
    ]);
  });

  test('when --data does not exist, then one short line, the same every time', async () => {
    const missing = path.join(work, 'nope');
    for (let run = 0; run < 3; run += 1) {
      const result = await runCli(['train', '--data', missing, '--output', path.join(work, 'nope-run')]);
      expect(result.code).toBe(1);
      expect(errorLines(result.stderr)).toEqual([
        `error: no MNIST IDX files in ${missing} (expected train-images-idx3-ubyte[.gz] and 3 more)`,
      ]);
    }
  });
});

describe('class names and workers', () => {
  const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

  test('when --class-names has nine lines, then exit 1 naming the file and the count', async () => {
    const file = path.join(work, 'nine.txt');
    await writeFile(file, NAMES.slice(0, 9).join('\n'));
    const run = await runCli(trainArgs(path.join(work, 'names-bad'), '--class-names', file));
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([`error: ${file}: expected 10 class names, one per line, found 9 lines`]);
  });

  test('when class-names.txt lies beside the IDX files and TRAIN_WORKERS=1, then the run uses both', async () => {
    const named = path.join(work, 'named-data');
    await writeSmallMnist(named, 500, 100);
    await writeFile(path.join(named, 'class-names.txt'), `${NAMES.join('\n')}\n`);
    const output = path.join(work, 'named-run');
    const args = ['train', '--data', named, '--output', output, '--epochs', '1', '--backend', 'wasm'];
    const run = await new Promise<CliRun>((resolve) => {
      execFile(
        process.execPath,
        [LENET_BIN, ...args],
        { env: { ...process.env, TRAIN_WORKERS: '1' } },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }),
      );
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`classes: ${NAMES.join(', ')}`);
    const start = JSON.parse(lines(await readFile(path.join(output, 'log.jsonl'), 'utf8'))[0]!);
    expect(start).toMatchObject({ event: 'run-start', workers: 1, classNames: NAMES });
    const modelJson = JSON.parse(await readFile(path.join(output, 'checkpoint', 'model.json'), 'utf8'));
    expect(modelJson.userDefinedMetadata.lenet.classNames).toEqual(NAMES);
  });

  test('when --workers is 0, then exit 1 with one line naming the flag', async () => {
    const run = await runCli(trainArgs(path.join(work, 'zero-workers'), '--workers', '0'));
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringContaining("--workers: expected a positive integer, found '0'"),
    ]);
  });
});
