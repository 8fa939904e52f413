import type * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CheckpointError, CheckpointFormatError } from './errors';

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  return specs.reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_DTYPE[spec.dtype] ?? 4),
    0,
  );
}

/**
 * The file a manifest path names, refusing any path that is absolute or climbs out of the checkpoint
 * folder (`../../etc/passwd`): a checkpoint is a folder, and loading one reads nothing outside it.
 */
function fileInside(modelJsonPath: string, field: string, name: unknown): string {
  const directory = path.resolve(path.dirname(modelJsonPath));
  const file = typeof name === 'string' ? path.resolve(directory, name) : '';
  if (typeof name !== 'string' || name === '' || path.isAbsolute(name) || !file.startsWith(directory + path.sep)) {
    throw new CheckpointFormatError(
      'CHECKPOINT_UNSAFE_PATH',
      modelJsonPath,
      field,
      `expected a file name inside the checkpoint folder, found ${JSON.stringify(name)}`,
    );
  }
  return file;
}

/**
 * Manifest paths checked by {@link fileInside}, before any file is opened.
 *
 * @example
 * checkWeightPaths('run/checkpoint/model.json', 'weightsManifest[0].paths', ['weights.ab.bin']);
 * // ['/abs/run/checkpoint/weights.ab.bin']; ['../x'] throws CHECKPOINT_UNSAFE_PATH
 */
export function checkWeightPaths(modelJsonPath: string, field: string, paths: unknown): string[] {
  if (!Array.isArray(paths)) {
    throw new CheckpointFormatError(
      'CHECKPOINT_UNSAFE_PATH',
      modelJsonPath,
      field,
      `expected an array of file names, found ${JSON.stringify(paths)}`,
    );
  }
  return paths.map((name, i) => fileInside(modelJsonPath, `${field}[${i}]`, name));
}

/**
 * Reads the files of one manifest group and checks they hold exactly the bytes the specs promise.
 *
 * @example
 * await readWeightFiles(['/run/checkpoint/weights.ab.bin'], specs, 'weights'); // ArrayBuffer of 246824 bytes
 */
export async function readWeightFiles(
  files: string[],
  specs: tf.io.WeightsManifestEntry[],
  what: string,
): Promise<ArrayBuffer> {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(
      await readFile(file).catch((error: unknown) => {
        throw new CheckpointError('CHECKPOINT_CORRUPT', `${file}: ${what} file named in model.json is missing`, {
          cause: error,
        });
      }),
    );
  }
  const bytes = Buffer.concat(parts);
  const expected = expectedBytes(specs);
  if (bytes.length !== expected) {
    throw new CheckpointError(
      'CHECKPOINT_CORRUPT',
      `${files.join(',')}: expected ${expected} bytes of ${what}, found ${bytes.length}`,
    );
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}

/**
 * Refuses weights holding NaN or an infinity (what a diverged run saves): such a model answers every
 * input with NaN probabilities, so it must not load anywhere. Checks float32 tensors, the only dtype
 * that can hold them.
 *
 * @example
 * checkFinite('model.json', data, specs, 'weight'); // throws "model.json: weight conv1/kernel: expected finite numbers, found NaN at index 3 ..."
 */
export function checkFinite(
  modelJsonPath: string,
  data: ArrayBuffer,
  specs: tf.io.WeightsManifestEntry[],
  what: string,
): void {
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * (BYTES_PER_DTYPE[spec.dtype] ?? 4);
    if (spec.dtype === 'float32') {
      // A copy, since a bool tensor before this one may leave `offset` unaligned for a Float32Array view.
      const values = new Float32Array(data.slice(offset, offset + bytes));
      const bad = values.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) {
        throw new CheckpointFormatError(
          'CHECKPOINT_NON_FINITE',
          modelJsonPath,
          `${what} ${spec.name}`,
          `expected finite numbers, found ${values[bad]} at index ${bad} (the run diverged; retrain with a smaller --lr)`,
        );
      }
    }
    offset += bytes;
  }
}
