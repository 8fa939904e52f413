/**
 * Decoder agreement on `data/upload-eval` (1,000 upload-style images) through a trained model: the
 * predicted class must be the same for >= 99.5% of images, and accuracy differ by <= 0.3 points.
 * Needs the set and a checkpoint, so it runs only when asked:
 *
 *   npm run data && node data/make-upload-eval.js
 *   node apps/cli/bin/lenet.js train --epochs 3 --output /tmp/img-ckpt
 *   UPLOAD_EVAL_CHECKPOINT=/tmp/img-ckpt/checkpoint npx jest packages/image/src/upload-eval-agreement
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadCheckpoint } from '@lenet/checkpoint';
import { CLASS_COUNT, MODEL_INPUT_VALUES } from '@lenet/digit';
import { predictProbabilities } from '@lenet/model';
import { decodeImage } from './decode-image';
import { preprocessGray } from './preprocess-gray';
import { selectDecoder } from './select-decoder';

const CHECKPOINT = process.env.UPLOAD_EVAL_CHECKPOINT;
const DIR = process.env.UPLOAD_EVAL_DIR ?? path.resolve(__dirname, '../../../data/upload-eval');

/** Model inputs for every image with one decoder; a refused image gets an all-zero input (counted wrong). */
async function inputsWith(request: 'sharp' | 'jimp', names: string[]): Promise<{ inputs: Float32Array; ms: number }> {
  const { decoder } = selectDecoder(request);
  const inputs = new Float32Array(names.length * MODEL_INPUT_VALUES);
  const started = performance.now();
  for (const [i, name] of names.entries()) {
    const gray = await decodeImage(await readFile(path.join(DIR, name)), { name, decoder });
    try {
      inputs.set(preprocessGray(gray, { name }).input, i * MODEL_INPUT_VALUES);
    } catch {
      // No digit found: left at zero.
    }
  }
  return { inputs, ms: performance.now() - started };
}

function classes(probabilities: Float32Array, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const row = probabilities.subarray(i * CLASS_COUNT, (i + 1) * CLASS_COUNT);
    return row.indexOf(Math.max(...row));
  });
}

(CHECKPOINT === undefined ? describe.skip : describe)('decoder agreement on data/upload-eval', () => {
  test('when both decoders read the 1,000 upload-style images, then the predicted class agrees on >= 99.5% and accuracy within 0.3 points', async () => {
    const labels = JSON.parse(await readFile(path.join(DIR, 'labels.json'), 'utf8')) as Record<string, number>;
    const names = Object.keys(labels).sort();
    const { model } = await loadCheckpoint(CHECKPOINT as string);
    const sharp = await inputsWith('sharp', names);
    const jimp = await inputsWith('jimp', names);
    const bySharp = classes(predictProbabilities(model, sharp.inputs, names.length), names.length);
    const byJimp = classes(predictProbabilities(model, jimp.inputs, names.length), names.length);
    const same = bySharp.filter((c, i) => c === byJimp[i]).length / names.length;
    const accuracy = (predicted: number[]) =>
      predicted.filter((c, i) => c === labels[names[i] as string]).length / names.length;
    const report = {
      images: names.length,
      same_class: same,
      accuracy_sharp: accuracy(bySharp),
      accuracy_jimp: accuracy(byJimp),
      ms_sharp: Math.round(sharp.ms),
      ms_jimp: Math.round(jimp.ms),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    expect(same).toBeGreaterThanOrEqual(0.995);
    expect(Math.abs(report.accuracy_sharp - report.accuracy_jimp)).toBeLessThanOrEqual(0.003);
  });
});
