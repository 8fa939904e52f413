import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createHash } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { syncDirectory, TEMPORARY_FILE, writeFileAtomic } from './atomic-file';
import { CheckpointError } from './errors';
import { parseCheckpointMetadata } from './validate-metadata';
import { CHECKPOINT_FORMAT, type CheckpointMetadata, type CheckpointMetadataInput } from './metadata';

/** What {@link saveCheckpoint} writes. */
export interface SaveCheckpointOptions {
  model: tfl.LayersModel;
  /** Stored under `userDefinedMetadata.lenet`; `format` is set here to {@link CHECKPOINT_FORMAT}. */
  metadata: CheckpointMetadataInput;
  /** Its state (momentum buffers) is saved so that `--resume` continues exactly. */
  optimizer?: tf.Optimizer;
}

/** Files written per checkpoint besides model.json; their names carry a content hash. */
const DATA_FILE = /^(weights|optimizer)\.[0-9a-f]{16}\.bin$/;

/** The stored metadata: the format tag is this package's to set, whatever the writer passed. */
function lenetMetadata(input: CheckpointMetadataInput): CheckpointMetadata {
  const { format: _ignored, ...rest } = input;
  return { format: CHECKPOINT_FORMAT, ...rest };
}

function contentName(kind: 'weights' | 'optimizer', bytes: Uint8Array): string {
  return `${kind}.${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`;
}

function joinWeightData(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

async function modelArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (captured === undefined) throw new Error('model.save did not hand over its artifacts');
  return captured;
}

/**
 * Saves a checkpoint in TensorFlow.js layers format (`model.json` plus weight files, loadable by
 * `tfl.loadLayersModel` in a browser) with its metadata and optimizer state, atomically: the data files
 * get content-hashed names and `model.json`, which names them, is renamed into place last. A run killed
 * at any moment leaves the previous checkpoint in `directory` loadable; files it no longer names are
 * removed only after the new `model.json` is in place.
 *
 * @throws CheckpointFormatError `CHECKPOINT_BAD_METADATA` for metadata that loading would refuse;
 *   CheckpointError `CHECKPOINT_WRITE_FAILED` when a write fails (no temporary file is left).
 * @example
 * await saveCheckpoint('output/checkpoint', { model, optimizer, metadata });
 * // output/checkpoint/model.json, weights.3f2a...bin, optimizer.9c1e...bin
 */
export async function saveCheckpoint(directory: string, options: SaveCheckpointOptions): Promise<string> {
  // What load would refuse is never written: a writer's mistake fails here, naming the field, not at the next load.
  parseCheckpointMetadata({ ...lenetMetadata(options.metadata), optimizer: null }, path.join(directory, 'model.json'));
  try {
    return await writeCheckpoint(directory, options);
  } catch (error) {
    throw new CheckpointError(
      'CHECKPOINT_WRITE_FAILED',
      `${directory}: could not save the checkpoint (${(error as Error).message}); the previous one there is intact`,
      { cause: error },
    );
  }
}

async function writeCheckpoint(directory: string, options: SaveCheckpointOptions): Promise<string> {
  await mkdir(directory, { recursive: true });
  const artifacts = await modelArtifacts(options.model);
  const weights = joinWeightData(artifacts.weightData);
  const weightsFile = contentName('weights', weights);
  await writeFileAtomic(path.join(directory, weightsFile), weights);

  let optimizerEntry: { path: string; weights: tf.io.WeightsManifestEntry[] } | null = null;
  if (options.optimizer !== undefined) {
    const encoded = await tf.io.encodeWeights(await options.optimizer.getWeights());
    const bytes = joinWeightData(encoded.data);
    const optimizerFile = contentName('optimizer', bytes);
    await writeFileAtomic(path.join(directory, optimizerFile), bytes);
    optimizerEntry = { path: optimizerFile, weights: encoded.specs };
  }

  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: { lenet: { ...lenetMetadata(options.metadata), optimizer: optimizerEntry } },
  };
  const modelJsonPath = path.join(directory, 'model.json');
  await writeFileAtomic(modelJsonPath, `${JSON.stringify(modelJson)}\n`);
  await syncDirectory(directory);
  await removeUnreferenced(directory, [weightsFile, optimizerEntry?.path]);
  return modelJsonPath;
}

async function removeUnreferenced(directory: string, keep: Array<string | undefined>): Promise<void> {
  for (const name of await readdir(directory)) {
    const stale = (DATA_FILE.test(name) && !keep.includes(name)) || TEMPORARY_FILE.test(name);
    if (stale) await unlink(path.join(directory, name)).catch(() => undefined);
  }
}
