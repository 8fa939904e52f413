import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { PREPROCESSING } from '@lenet/digit';
import { CheckpointError } from './errors';

/** A tensor with the name the optimizer gave it (tfjs-core's NamedTensor, not re-exported by @tensorflow/tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}
import type { CheckpointMetadata } from './metadata';

/** A loaded checkpoint. */
export interface LoadedCheckpoint {
  model: tfl.LayersModel;
  /** null for a plain TensorFlow.js model.json that this project did not write. */
  metadata: CheckpointMetadata | null;
  /** Momentum buffers in the order the optimizer reported them; only with `withOptimizer`. */
  optimizerWeights: NamedTensor[] | null;
  modelJsonPath: string;
  /** Short hash of the weights, to identify the model in logs and responses. */
  weightsHash: string;
}

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: {
    lenet?: CheckpointMetadata & { optimizer: { path: string; weights: tf.io.WeightsManifestEntry[] } | null };
  };
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * `model.json` for a checkpoint folder or a `model.json` path.
 *
 * @example
 * await resolveModelJson('output/checkpoint'); // 'output/checkpoint/model.json'
 */
export async function resolveModelJson(location: string): Promise<string> {
  const info = await stat(location).catch(() => null);
  if (info === null)
    throw new CheckpointError(
      'CHECKPOINT_NOT_FOUND',
      `${location}: no such checkpoint (expected a folder holding model.json, or a model.json file)`,
    );
  const modelJsonPath = info.isDirectory() ? path.join(location, 'model.json') : location;
  if (info.isDirectory() && (await stat(modelJsonPath).catch(() => null)) === null) {
    throw new CheckpointError(
      'CHECKPOINT_NOT_FOUND',
      `${location}: folder has no model.json (is it a checkpoint folder such as output/checkpoint?)`,
    );
  }
  return modelJsonPath;
}

async function readJson(modelJsonPath: string): Promise<ModelJson> {
  try {
    const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
    if (
      typeof json !== 'object' ||
      json === null ||
      json.modelTopology == null ||
      !Array.isArray(json.weightsManifest)
    ) {
      throw new Error('expected an object with modelTopology and weightsManifest');
    }
    return json;
  } catch (error) {
    throw new CheckpointError(
      'CHECKPOINT_CORRUPT',
      `${modelJsonPath}: not a TensorFlow.js layers model.json (${(error as Error).message})`,
      { cause: error },
    );
  }
}

function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  return specs.reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_DTYPE[spec.dtype] ?? 4),
    0,
  );
}

async function readWeightFiles(
  directory: string,
  paths: string[],
  specs: tf.io.WeightsManifestEntry[],
  what: string,
): Promise<ArrayBuffer> {
  const parts: Buffer[] = [];
  for (const name of paths) {
    const file = path.join(directory, name);
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
      `${path.join(directory, paths.join(','))}: expected ${expected} bytes of ${what}, found ${bytes.length}`,
    );
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}

function checkPreprocessing(modelJsonPath: string, metadata: CheckpointMetadata | null): void {
  if (metadata === null) return;
  for (const [key, value] of Object.entries(PREPROCESSING)) {
    const found = (metadata.preprocessing as unknown as Record<string, unknown> | undefined)?.[key];
    if (found !== value) {
      throw new CheckpointError(
        'CHECKPOINT_INCOMPATIBLE',
        `${modelJsonPath}: trained with preprocessing ${key}=${JSON.stringify(found)}, this build uses ${JSON.stringify(value)}`,
      );
    }
  }
}

/**
 * Loads a checkpoint written by `saveCheckpoint` (or any TensorFlow.js layers `model.json` with its
 * weights), checking that every file is present and has the size the manifest promises, and that it
 * was trained with this build's preprocessing.
 *
 * @example
 * const { model, metadata } = await loadCheckpoint('output/checkpoint');
 * metadata?.epoch; // 30
 */
export async function loadCheckpoint(
  location: string,
  options: { withOptimizer?: boolean } = {},
): Promise<LoadedCheckpoint> {
  const modelJsonPath = await resolveModelJson(location);
  const directory = path.dirname(modelJsonPath);
  const json = await readJson(modelJsonPath);
  const { optimizer: optimizerEntry = null, ...rest } = json.userDefinedMetadata?.lenet ?? { optimizer: null };
  const metadata = json.userDefinedMetadata?.lenet === undefined ? null : (rest as CheckpointMetadata);
  checkPreprocessing(modelJsonPath, metadata);

  const manifest = json.weightsManifest ?? [];
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const weightData = await readWeightFiles(
    directory,
    manifest.flatMap((group) => group.paths),
    weightSpecs,
    'weights',
  );
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }),
    );
  } catch (error) {
    throw new CheckpointError(
      'CHECKPOINT_CORRUPT',
      `${modelJsonPath}: TensorFlow.js could not build the model (${(error as Error).message})`,
      { cause: error },
    );
  }

  let optimizerWeights: NamedTensor[] | null = null;
  if (options.withOptimizer === true && optimizerEntry !== null) {
    const data = await readWeightFiles(directory, [optimizerEntry.path], optimizerEntry.weights, 'optimizer state');
    const decoded = tf.io.decodeWeights(data, optimizerEntry.weights);
    optimizerWeights = optimizerEntry.weights.map((spec) => ({
      name: spec.name,
      tensor: decoded[spec.name] as tf.Tensor,
    }));
  }
  const weightsHash = /\.([0-9a-f]{16})\.bin$/.exec(manifest[0]?.paths[0] ?? '')?.[1]?.slice(0, 12) ?? 'unknown';
  return { model, metadata, optimizerWeights, modelJsonPath, weightsHash };
}
