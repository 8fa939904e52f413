import { Jimp } from 'jimp';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { embedded, trainFixtureModel } from './fixtures';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { lines, runCli } from './run-cli';

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
      expect(answer.probabilities).toHaveLength(10);
      expect(answer.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
      expect(answer.ms).toBeGreaterThan(0);
    }
  });

  test('when some images are bad, then the good ones are still answered, each bad one gets its error, and the exit code is 1', async () => {
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
  });

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

describe('lenet evaluate-uploads', () => {
  test('when run on a generated upload-style set, then our preprocessing beats the tutorial baseline and comes near the clean accuracy', async () => {
    const dir = path.join(work, 'upload-eval');
    const script = path.resolve(__dirname, '..', '..', '..', 'data', 'make-upload-eval.js');
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
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.upload.count).toBe(60);
    expect(result.upload.accuracy).toBeGreaterThan(0.8);
    expect(result.upload.accuracy).toBeGreaterThan(result.tutorial_baseline.accuracy + 0.3);
    expect(result.clean.accuracy - result.upload.accuracy).toBeLessThan(0.1);
  });
});
