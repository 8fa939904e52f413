import { Jimp } from 'jimp';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { embedded, trainFixtureModel } from './fixtures';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lines, runCli } from './run-cli';
import { repoPath } from '../src/repo-root';

let work: string;
let model: string;
const testSplit = embedded.test;

/** A test digit as a person would upload it: black ink on white paper, 8x larger, off-centre. */
async function uploadStylePng(index: number, file: string): Promise<number> {
  const size = 28 * 8;
  const image = new Jimp({ width: size + 60, height: size + 20, color: 0xffffffff });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const ink = testSplit.images[index * 784 + Math.floor(y / 8) * 28 + Math.floor(x / 8)] as number;
      const v = 255 - ink;
      image.bitmap.data.set([v, v, v, 255], ((y + 4) * image.bitmap.width + (x + 50)) * 4);
    }
  }
  await writeFile(file, await image.getBuffer('image/png'));
  return testSplit.labels[index] as number;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-cli-inference-'));
  ({ model } = await trainFixtureModel(work, { train: 4000, test: 200, epochs: 3 }));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lenet inference', () => {
  test('when no --image is given, then it says it uses the bundled example and predicts 6', async () => {
    const run = await runCli(['inference', '--model', model, '--backend', 'wasm']);
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out).toContain('no --image given: using the bundled example data/examples/digit-6.png');
    expect(out.at(-1)).toBe('The predicted class is 6.');
  });

  test('when given upload-style photos of test digits, then most are classified right', async () => {
    const files: string[] = [];
    const labels: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const file = path.join(work, `upload-${index}.png`);
      labels.push(await uploadStylePng(index, file));
      files.push(file);
    }
    const run = await runCli(['inference', '--model', model, '--json', '--backend', 'wasm', '--image', ...files]);
    expect(run.code).toBe(0);
    const answers = lines(run.stdout).map((line) => JSON.parse(line));
    expect(answers.map((a) => a.image)).toEqual(files);
    const right = answers.filter((answer, i) => answer.likely_class === labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(17);
    for (const answer of answers) {
      expect(answer).not.toHaveProperty('label'); // this checkpoint names no classes
      expect(answer.probabilities).toHaveLength(10);
      expect(answer.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
      expect(answer.ms).toBeGreaterThan(0);
    }
  });

  test.each([['sharp'], ['jimp']])(
    'when some images are bad (--decoder %s), then the good ones are still answered, each bad one gets its error, and the exit code is 1',
    async (decoder) => {
      const good = path.join(work, 'good.png');
      await uploadStylePng(0, good);
      const text = path.join(work, 'notes.png');
      await writeFile(text, 'this is not an image');
      const truncated = path.join(work, 'cut.png');
      await writeFile(truncated, (await readFile(good)).subarray(0, 20)); // the PNG signature and half its header
      const blank = path.join(work, 'blank.png');
      await writeFile(blank, await new Jimp({ width: 50, height: 50, color: 0xffffffff }).getBuffer('image/png'));
      const missing = path.join(work, 'missing.png');

      const run = await runCli([
        'inference',
        '--model',
        model,
        '--json',
        '--backend',
        'wasm',
        '--decoder',
        decoder,
        '--image',
        good,
        text,
        truncated,
        blank,
        missing,
      ]);
      expect(run.code).toBe(1);
      const results = lines(run.stdout).map((line) => JSON.parse(line));
      expect(results.map((r) => r.image)).toEqual([good, text, truncated, blank, missing]);
      expect(results[0].likely_class).toBe(testSplit.labels[0]);
      expect(results.slice(1).map((r) => r.error.code)).toEqual([
        'IMAGE_UNSUPPORTED_FORMAT',
        'IMAGE_TRUNCATED',
        'IMAGE_NO_DIGIT',
        'IMAGE_NOT_FOUND',
      ]);
      const errorLines = lines(run.stderr).filter((line) => line.startsWith('error: '));
      expect(errorLines).toHaveLength(4);
      [text, truncated, blank, missing].forEach((file, i) => expect(errorLines[i]).toContain(file));
    },
  );

  test('when the image has more pixels than --max-pixels, then it is refused before decoding', async () => {
    const big = path.join(work, 'big.png');
    await uploadStylePng(1, big);
    const run = await runCli([
      'inference',
      '--model',
      model,
      '--image',
      big,
      '--max-pixels',
      '1000',
      '--backend',
      'wasm',
    ]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr).filter((line) => line.startsWith('error: '))).toEqual([
      expect.stringMatching(/big\.png.*1000/),
    ]);
  });

  test('when the model does not exist, then exit 1 with one line', async () => {
    const run = await runCli(['inference', '--model', path.join(work, 'nope'), '--backend', 'wasm']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/nope: no such checkpoint/)]);
  });
});

describe('lenet inference --decoder and class names', () => {
  const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

  /** A copy of the fixture checkpoint whose metadata names its classes, as `lenet train --class-names` writes it. */
  async function namedCheckpoint(): Promise<string> {
    const dir = path.join(work, 'named-checkpoint');
    await cp(model, dir, { recursive: true });
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.userDefinedMetadata.lenet.classNames = NAMES;
    await writeFile(file, JSON.stringify(json));
    return dir;
  }

  test.each([['sharp'], ['jimp']])(
    'when --decoder %s is given, then the decoder line follows the backend line and the example is still a 6',
    async (decoder) => {
      const run = await runCli(['inference', '--model', model, '--backend', 'wasm', '--decoder', decoder]);
      expect(run.code).toBe(0);
      const out = lines(run.stdout);
      expect(out[0]).toMatch(/^backend: wasm/);
      expect(out[1]).toMatch(new RegExp(`^image decoder: ${decoder}`));
      expect(out.at(-1)).toBe('The predicted class is 6.');
    },
  );

  test('when --decoder names no decoder, then one error line and exit 1', async () => {
    const run = await runCli(['inference', '--model', model, '--decoder', 'vips']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      "error: --decoder (env DECODER): expected one of auto, sharp, jimp, found 'vips'",
    ]);
  });

  test('when the checkpoint names its classes, then inference --json and test --json return them next to the classes', async () => {
    const named = await namedCheckpoint();
    const inference = await runCli(['inference', '--model', named, '--json', '--backend', 'wasm']);
    expect(inference.code).toBe(0);
    expect(JSON.parse(inference.stdout)).toMatchObject({ likely_class: 6, label: 'six' });
    const text = await runCli(['inference', '--model', named, '--backend', 'wasm']);
    expect(lines(text.stdout).at(-1)).toBe('The predicted class is 6 (six).');

    const test = await runCli([
      'test',
      '--model',
      named,
      '--data',
      path.join(work, 'mnist'),
      '--json',
      '--backend',
      'wasm',
    ]);
    expect(test.code).toBe(0);
    const result = JSON.parse(test.stdout);
    expect(result.labels).toEqual(NAMES);
    expect(result.per_class).toHaveLength(10);
  });
});

describe('lenet evaluate-uploads', () => {
  test('when run on a generated upload-style set, then our preprocessing beats the tutorial baseline and comes near the clean accuracy', async () => {
    const dir = path.join(work, 'upload-eval');
    const script = repoPath('data', 'make-upload-eval.js');
    await promisify(execFile)(process.execPath, [script, '--out', dir, '--count', '60', '--seed', '3']);
    const run = await runCli([
      'evaluate-uploads',
      '--dir',
      dir,
      '--data',
      path.join(work, 'mnist'),
      '--model',
      model,
      '--json',
      '--backend',
      'wasm',
      '--decoder',
      'jimp',
    ]);
    expect(run.code).toBe(0);
    expect(lines(run.stderr)).toContain('image decoder: jimp (requested)');
    const result = JSON.parse(run.stdout);
    expect(result.decoder).toBe('jimp');
    expect(result.upload.count).toBe(60);
    expect(result.upload.accuracy).toBeGreaterThan(0.8);
    expect(result.upload.accuracy).toBeGreaterThan(result.tutorial_baseline.accuracy + 0.3);
    expect(result.clean.accuracy - result.upload.accuracy).toBeLessThan(0.1);
  });
});
