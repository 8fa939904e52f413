import { Option } from 'commander';
import { BACKEND_REQUESTS, type BackendRequest } from '@lenet/backend';
import { DECODER_REQUESTS, type DecoderRequest, DEFAULT_MAX_PIXELS } from '@lenet/image';
import { EMBEDDED_DATA_DIR } from './data-hint';
import { oneOf, positiveInteger } from './parse-flags';

/** The checkpoint `lenet inference` and `lenet serve` read when `--model` is not given. */
export const DEFAULT_MODEL = 'output/checkpoint';

/**
 * `--backend <name>`: one of `BACKEND_REQUESTS`, default `auto`. Add it with `command.addOption(backendOption())`;
 * the value arrives as `flags.backend: BackendRequest`.
 *
 * @example
 * new Command('test').addOption(backendOption()); // lenet test --backend wasm -> flags.backend === 'wasm'
 */
export function backendOption(): Option {
  return new Option('--backend <name>', 'TensorFlow.js backend (see lenet --version for the installed ones)')
    .choices(BACKEND_REQUESTS)
    .argParser(oneOf<BackendRequest>('--backend', BACKEND_REQUESTS))
    .default('auto' satisfies BackendRequest);
}

/**
 * `--data <dir>`: a folder of MNIST IDX files, default the embedded set `npm run data` writes.
 *
 * @example
 * new Command('test').addOption(dataOption('folder with the t10k- IDX files')); // flags.data === 'data/mnist'
 */
export function dataOption(description: string): Option {
  return new Option('--data <dir>', `${description} (raw or .gz)`).default(EMBEDDED_DATA_DIR);
}

/**
 * `--model <path>`: a checkpoint folder or its model.json; required by the command when `fallback` is undefined.
 *
 * @example
 * new Command('inference').addOption(modelOption(DEFAULT_MODEL)); // flags.model === 'output/checkpoint'
 */
export function modelOption(fallback?: string): Option {
  const option = new Option('--model <path>', 'checkpoint folder (such as output/checkpoint) or its model.json');
  return fallback === undefined ? option : option.default(fallback);
}

/**
 * `--json`: machine-readable stdout; the human lines (backend, decoder) go to stderr.
 *
 * @example
 * new Command('test').addOption(jsonOption('print one JSON object')); // flags.json === true
 */
export function jsonOption(description: string): Option {
  return new Option('--json', description);
}

/**
 * `--max-pixels <n>`: refuse larger images from their header, before decoding; the image package's default,
 * which the server shares.
 *
 * @example
 * new Command('inference').addOption(maxPixelsOption()); // flags.maxPixels === DEFAULT_MAX_PIXELS
 */
export function maxPixelsOption(): Option {
  return new Option('--max-pixels <n>', 'refuse images with more pixels than this, before decoding')
    .argParser(positiveInteger('--max-pixels'))
    .default(DEFAULT_MAX_PIXELS);
}

/**
 * `--limit <n>`: use only the first n images of a split.
 *
 * @example
 * new Command('test').addOption(limitOption('test')); // --limit 500 -> flags.limit === 500
 */
export function limitOption(split: 'training' | 'test'): Option {
  return new Option('--limit <n>', `use only the first n ${split} images`).argParser(positiveInteger('--limit'));
}

/**
 * `--decoder <name>` (env `DECODER`): `auto` (sharp, else jimp), `sharp` or `jimp`; an explicit choice that
 * cannot be met is an error, never a silent fallback.
 *
 * @example
 * new Command('inference').addOption(decoderOption()); // DECODER=jimp lenet inference -> flags.decoder === 'jimp'
 */
export function decoderOption(): Option {
  return new Option('--decoder <name>', 'image decoder: sharp (libvips, native) or jimp (pure JS)')
    .choices(DECODER_REQUESTS)
    .argParser(oneOf<DecoderRequest>('--decoder (env DECODER)', DECODER_REQUESTS))
    .env('DECODER')
    .default('auto' satisfies DecoderRequest);
}
