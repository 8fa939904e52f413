import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { PREPROCESSING } from '@lenet/digit';
import { CheckpointError } from './errors';
import type { CheckpointMetadata } from './metadata';
import { parseCheckpointMetadata } from './validate-metadata';
import { checkFinite, checkWeightPaths, readWeightFiles } from './weight-files';

/** A tensor with the name the optimizer gave it (tfjs-core's NamedTensor, not re-exported by @tensorflow/tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

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

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** Also read the optimizer state (for `--resume`). */
  withOptimizer?: boolean;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths?: unknown; weights?: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: { lenet?: unknown };
}

/** `model.json` for a checkpoint folder or a `model.json` path. */
async function resolveModelJson(location: string): Promise<string> {
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
    const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as Partial<ModelJson> | null;
    if (
      typeof json !== 'object' ||
      json === null ||
      json.modelTopology == null ||
      !Array.isArray(json.weightsManifest)
    ) {
      throw new Error('expected an object with modelTopology and weightsManifest');
    }
    return json as ModelJson;
  } catch (error) {
    throw new CheckpointError(
      'CHECKPOINT_CORRUPT',
      `${modelJsonPath}: not a TensorFlow.js layers model.json (${(error as Error).message})`,
      { cause: error },
    );
  }
}

function checkPreprocessing(modelJsonPath: string, metadata: CheckpointMetadata | null): void {
  if (metadata === null) return;
  for (const [key, value] of Object.entries(PREPROCESSING)) {
    const found = (metadata.preprocessing as unknown as Record<string, unknown>)[key];
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
 * weights). Checks, before building the model: every file the manifest names lies inside the
 * checkpoint folder, is present and has the size the manifest promises; every weight is finite; the
 * lenet metadata, when present, has the format tag and every field typed; it was trained with this
 * build's preprocessing.
 *
 * @throws CheckpointError `CHECKPOINT_NOT_FOUND` / `CHECKPOINT_CORRUPT` / `CHECKPOINT_INCOMPATIBLE`, or
 *   CheckpointFormatError `CHECKPOINT_BAD_METADATA` / `CHECKPOINT_UNSAFE_PATH` / `CHECKPOINT_NON_FINITE`
 *   naming the field.
 * @example
 * const { model, metadata } = await loadCheckpoint('output/checkpoint');
 * metadata?.epoch; // 30
 */
export async function loadCheckpoint(location: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const modelJsonPath = await resolveModelJson(location);
  const json = await readJson(modelJsonPath);
  const manifest = json.weightsManifest;
  const weightFiles = manifest.flatMap((group, i) =>
    checkWeightPaths(modelJsonPath, `weightsManifest[${i}].paths`, group.paths),
  );
  const weightSpecs = manifest.flatMap((group) => group.weights ?? []);
  const weightData = await readWeightFiles(weightFiles, weightSpecs, 'weights');
  checkFinite(modelJsonPath, weightData, weightSpecs, 'weight');

  // Validated after the weights: a diverged run's NaN losses are stored as null, and "non-finite
  // weights" says more than "history[3].trainLoss: found null".
  const lenet = json.userDefinedMetadata?.lenet;
  const parsed = lenet === undefined ? null : parseCheckpointMetadata(lenet, modelJsonPath);
  const metadata = parsed?.metadata ?? null;
  checkPreprocessing(modelJsonPath, metadata);
  const optimizerEntry = parsed?.optimizer ?? null;
  const optimizerFiles =
    optimizerEntry === null
      ? []
      : checkWeightPaths(modelJsonPath, 'userDefinedMetadata.lenet.optimizer.path', [optimizerEntry.path]);

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
    const data = await readWeightFiles(optimizerFiles, optimizerEntry.weights, 'optimizer state');
    checkFinite(modelJsonPath, data, optimizerEntry.weights, 'optimizer value');
    const decoded = tf.io.decodeWeights(data, optimizerEntry.weights);
    optimizerWeights = optimizerEntry.weights.map((spec) => ({
      name: spec.name,
      tensor: decoded[spec.name] as tf.Tensor,
    }));
  }
  const firstPath = manifest[0]?.paths;
  const first = Array.isArray(firstPath) && typeof firstPath[0] === 'string' ? firstPath[0] : '';
  const weightsHash = /\.([0-9a-f]{16})\.bin$/.exec(first)?.[1]?.slice(0, 12) ?? 'unknown';
  return { model, metadata, optimizerWeights, modelJsonPath, weightsHash };
}
