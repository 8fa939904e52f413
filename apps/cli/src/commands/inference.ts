import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { BackendRequest } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { type DecoderRequest, type ImageDecoder, preprocessImage } from '@lenet/image';
import { predictProbabilities } from '@lenet/model';
import { setUpBackend } from '../backend-setup';
import { setUpDecoder } from '../decoder-setup';
import { backendOption, DEFAULT_MODEL, decoderOption, jsonOption, maxPixelsOption, modelOption } from '../cli-options';
import { repoPath } from '../repo-root';

/** The committed example: a black-on-white handwritten 6 made from a test digit by data/make-example.js. */
export const BUNDLED_EXAMPLE = repoPath('data', 'examples', 'digit-6.png');

interface InferenceFlags {
  image?: string[];
  model: string;
  json?: boolean;
  maxPixels: number;
  backend: BackendRequest;
  decoder: DecoderRequest;
}

/** One answered image, as printed by --json (the names are a contract). */
interface Answer {
  image: string;
  likely_class: number;
  /** The class's name, when the checkpoint carries `classNames` (e.g. Fashion-MNIST's 'Ankle boot'). */
  label?: string;
  probabilities: number[];
  ms: number;
}

interface Failure {
  image: string;
  error: { code: string; message: string };
}

function failure(image: string, error: unknown): Failure {
  const fsCode = (error as NodeJS.ErrnoException).code;
  if (fsCode === 'ENOENT') return { image, error: { code: 'IMAGE_NOT_FOUND', message: `${image}: no such file` } };
  if (fsCode === 'EISDIR')
    return { image, error: { code: 'IMAGE_NOT_FOUND', message: `${image}: is a folder, expected an image file` } };
  const code = typeof fsCode === 'string' && fsCode.startsWith('IMAGE_') ? fsCode : 'IMAGE_READ_FAILED';
  const raw = error instanceof Error ? error.message : String(error);
  // Image errors name the file already; anything else gets it prefixed.
  return { image, error: { code, message: raw.includes(image) ? raw : `${image}: ${raw}` } };
}

async function classify(
  image: string,
  model: Parameters<typeof predictProbabilities>[0],
  maxPixels: number,
  decoder: ImageDecoder,
  classNames: string[] | undefined,
): Promise<Answer> {
  const started = performance.now();
  const bytes = await readFile(image);
  const { input } = await preprocessImage(bytes, { name: image, maxPixels, decoder });
  const probabilities = Array.from(predictProbabilities(model, input, 1));
  const likely = probabilities.indexOf(Math.max(...probabilities));
  const label = classNames?.[likely];
  return {
    image,
    likely_class: likely,
    ...(label === undefined ? {} : { label }),
    probabilities,
    ms: Number((performance.now() - started).toFixed(2)),
  };
}

async function runInference(flags: InferenceFlags): Promise<void> {
  const print = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const images = flags.image ?? [BUNDLED_EXAMPLE];
  await setUpBackend(flags.backend, print);
  const decoder = setUpDecoder(flags.decoder, print);
  if (flags.image === undefined)
    print(`no --image given: using the bundled example ${path.relative(process.cwd(), BUNDLED_EXAMPLE)}`);
  const { model, metadata } = await loadCheckpoint(flags.model);
  let failed = 0;
  for (const image of images) {
    try {
      const answer = await classify(image, model, flags.maxPixels, decoder, metadata?.classNames);
      if (flags.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
      else
        process.stdout.write(
          `${images.length > 1 ? `${image}: ` : ''}The predicted class is ${answer.likely_class}${answer.label === undefined ? '' : ` (${answer.label})`}.\n`,
        );
    } catch (error) {
      failed += 1;
      const result = failure(image, error);
      if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      process.stderr.write(`error: ${result.error.message}\n`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

/** `lenet inference`. */
export function inferenceCommand(): Command {
  return new Command('inference')
    .description('classify photographed, scanned or drawn digit images (PNG, JPEG, BMP, GIF, TIFF)')
    .option('--image <paths...>', 'one or more image files (default: the bundled example data/examples/digit-6.png)')
    .addOption(modelOption(DEFAULT_MODEL))
    .addOption(
      jsonOption(
        'print JSON Lines: {image, likely_class, label (when the checkpoint names its classes), probabilities, ms} or {image, error: {code, message}}',
      ),
    )
    .addOption(maxPixelsOption())
    .addOption(backendOption())
    .addOption(decoderOption())
    .action((flags: InferenceFlags) => runInference(flags));
}
