import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { BackendRequest } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { loadMnistSplitWithHint } from '../data-hint';
import { type DecoderRequest, decodeImage, preprocessGray, tutorialBaselineInput } from '@lenet/image';
import { predictProbabilities } from '@lenet/model';
import { MODEL_INPUT_VALUES } from '@lenet/digit';
import { evaluate, examplesFromDigits } from '@lenet/training';
import { setUpBackend } from '../backend-setup';
import { UsageError } from '../errors';
import { setUpDecoder } from '../decoder-setup';
import { backendOption, dataOption, decoderOption, jsonOption, modelOption } from '../cli-options';

interface EvaluateUploadsFlags {
  dir: string;
  data: string;
  model?: string;
  json?: boolean;
  backend: BackendRequest;
  decoder: DecoderRequest;
}

async function readLabels(dir: string): Promise<Array<[string, number]>> {
  const file = path.join(dir, 'labels.json');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`${file}: not found; make the set with: node data/make-upload-eval.js --out ${dir}`);
  });
  const labels = JSON.parse(text) as Record<string, number>;
  return Object.entries(labels);
}

function argMax(values: Float32Array, offset: number): number {
  let best = 0;
  for (let k = 1; k < 10; k += 1) if ((values[offset + k] as number) > (values[offset + best] as number)) best = k;
  return best;
}

async function runEvaluateUploads(flags: EvaluateUploadsFlags): Promise<void> {
  if (flags.model === undefined)
    throw new UsageError('--model is required: pass a checkpoint folder (such as output/checkpoint) or its model.json');
  const print = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const choice = await setUpBackend(flags.backend, print);
  const decoder = setUpDecoder(flags.decoder, print);
  const { model, modelJsonPath } = await loadCheckpoint(flags.model);
  const entries = await readLabels(flags.dir);

  const ours = new Float32Array(entries.length * MODEL_INPUT_VALUES);
  const baseline = new Float32Array(entries.length * MODEL_INPUT_VALUES);
  const failures: Array<{ image: string; code: string }> = [];
  const refused = new Set<number>();
  for (const [index, [name]] of entries.entries()) {
    const gray = await decodeImage(await readFile(path.join(flags.dir, name)), { name, decoder });
    baseline.set(tutorialBaselineInput(gray), index * MODEL_INPUT_VALUES);
    try {
      ours.set(preprocessGray(gray, { name }).input, index * MODEL_INPUT_VALUES);
    } catch (error) {
      failures.push({ image: name, code: (error as { code?: string }).code ?? 'ERROR' }); // counted as wrong
      refused.add(index);
    }
  }
  const oursProbabilities = predictProbabilities(model, ours, entries.length);
  // The tutorial fed its un-normalised 0..1 input straight to the model; so do we, to measure it.
  const baselineProbabilities = predictProbabilities(model, baseline, entries.length);
  let oursRight = 0;
  let baselineRight = 0;
  entries.forEach(([, label], i) => {
    if (!refused.has(i) && argMax(oursProbabilities, i * 10) === label) oursRight += 1;
    if (argMax(baselineProbabilities, i * 10) === label) baselineRight += 1;
  });
  const clean = await loadMnistSplitWithHint(flags.data, 'test', {});
  const cleanResult = evaluate(model, examplesFromDigits(clean.images, clean.labels));
  const result = {
    model: modelJsonPath,
    backend: choice.name,
    decoder: decoder.name,
    clean: { data: flags.data, count: cleanResult.count, accuracy: cleanResult.accuracy },
    upload: { dir: flags.dir, count: entries.length, accuracy: oursRight / entries.length, failures },
    tutorial_baseline: { dir: flags.dir, count: entries.length, accuracy: baselineRight / entries.length },
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const row = (label: string, value: number, note = '') =>
    print(`${label.padEnd(64)} ${pct(value).padStart(7)}${note}`);
  row(`clean 28x28 test digits (${flags.data}, ${cleanResult.count})`, cleanResult.accuracy);
  row(
    `upload-style images (${flags.dir}, ${entries.length}), our preprocessing`,
    result.upload.accuracy,
    failures.length > 0 ? ` (${failures.length} refused, counted wrong)` : '',
  );
  row("same images, the tutorial's resize-and-invert", result.tutorial_baseline.accuracy);
  print(`gap clean - upload: ${((cleanResult.accuracy - result.upload.accuracy) * 100).toFixed(2)} points`);
}

/** `lenet evaluate-uploads`. */
export function evaluateUploadsCommand(): Command {
  return new Command('evaluate-uploads')
    .description(
      "accuracy on an upload-style image set (data/make-upload-eval.js) next to the clean test digits and the tutorial's preprocessing",
    )
    .option('--dir <dir>', 'folder with the images and labels.json', 'data/upload-eval')
    .addOption(dataOption('folder with the clean t10k- IDX test files'))
    .addOption(modelOption())
    .addOption(jsonOption('print one JSON object'))
    .addOption(backendOption())
    .addOption(decoderOption())
    .action((flags: EvaluateUploadsFlags) => runEvaluateUploads(flags));
}
