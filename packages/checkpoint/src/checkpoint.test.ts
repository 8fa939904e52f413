import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createLenet, predictProbabilities } from '@lenet/model';
import { digitsToModelInput, PREPROCESSING } from '@lenet/digit';
import { loadCheckpoint } from './load-checkpoint';
import { saveCheckpoint } from './save-checkpoint';
import { testMetadata } from './test-fixtures';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const metadata = (epoch: number) => testMetadata(epoch);

const digits = digitsToModelInput(Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 37) % 256));

describe('saveCheckpoint and loadCheckpoint', () => {
  test('when a model is saved and loaded, then it predicts exactly the same and keeps its metadata', async () => {
    const model = createLenet({ seed: 5 });
    await saveCheckpoint(dir, { model, metadata: metadata(10) });
    const loaded = await loadCheckpoint(dir);
    expect(Array.from(predictProbabilities(loaded.model, digits, 3))).toEqual(
      Array.from(predictProbabilities(model, digits, 3)),
    );
    expect(loaded.metadata?.epoch).toBe(10);
    expect(loaded.modelJsonPath).toBe(path.join(dir, 'model.json'));
    expect(loaded.weightsHash).toMatch(/^[0-9a-f]{12}$/);
  });

  test('when loaded through the model.json path, then tfl.loadLayersModel-style JSON is read as well', async () => {
    await saveCheckpoint(dir, { model: createLenet({ seed: 5 }), metadata: metadata(1) });
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths[0]).toMatch(/^weights\.[0-9a-f]{16}\.bin$/);
    expect((await loadCheckpoint(path.join(dir, 'model.json'))).metadata?.epoch).toBe(1);
  });

  test('when the optimizer is saved, then its momentum buffers come back with the same values', async () => {
    const model = createLenet({ seed: 5 });
    const optimizer = tf.train.momentum(0.1, 0.9);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    optimizer.minimize(
      () => tf.sum(tf.square(model.predict(tf.tensor4d(digits, [3, 32, 32, 1])) as tf.Tensor)) as tf.Scalar,
      false,
      variables,
    );
    const before = await optimizer.getWeights();
    await saveCheckpoint(dir, { model, optimizer, metadata: metadata(2) });
    const loaded = await loadCheckpoint(dir, { withOptimizer: true });
    expect(loaded.optimizerWeights?.map((w) => w.name)).toEqual(before.map((w) => w.name));
    loaded.optimizerWeights?.forEach((w, i) =>
      expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(before[i]!.tensor.dataSync())),
    );
  });

  test('when a checkpoint is overwritten, then only the new weights remain and stale temporary files are removed', async () => {
    await saveCheckpoint(dir, { model: createLenet({ seed: 1 }), metadata: metadata(1) });
    await writeFile(path.join(dir, '.model.json.tmp-123-456'), 'half a file');
    await saveCheckpoint(dir, { model: createLenet({ seed: 2 }), metadata: metadata(2) });
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^weights\./);
  });

  test('when a run died after writing new weights but before renaming model.json, then the previous checkpoint still loads', async () => {
    const model = createLenet({ seed: 1 });
    await saveCheckpoint(dir, { model, metadata: metadata(10) });
    // What a kill between the two writes leaves: a new weights file and a half-written temporary model.json.
    await writeFile(path.join(dir, 'weights.0123456789abcdef.bin'), new Uint8Array(1000));
    await writeFile(path.join(dir, '.model.json.tmp-99-1'), '{"modelTop');
    const loaded = await loadCheckpoint(dir);
    expect(loaded.metadata?.epoch).toBe(10);
    expect(Array.from(predictProbabilities(loaded.model, digits, 3))).toEqual(
      Array.from(predictProbabilities(model, digits, 3)),
    );
  });

  test('when the folder or model.json is missing, then CHECKPOINT_NOT_FOUND names the path', async () => {
    await expect(loadCheckpoint(path.join(dir, 'nope'))).rejects.toMatchObject({
      code: 'CHECKPOINT_NOT_FOUND',
      message: expect.stringContaining('nope: no such checkpoint'),
    });
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'CHECKPOINT_NOT_FOUND',
      message: expect.stringContaining('folder has no model.json'),
    });
  });

  test('when model.json is not JSON, or the weights are missing or truncated, then CHECKPOINT_CORRUPT says which file', async () => {
    await saveCheckpoint(dir, { model: createLenet({ seed: 1 }), metadata: metadata(1) });
    const weights = (await readdir(dir)).find((name) => name.startsWith('weights.'))!;
    await writeFile(path.join(dir, weights), new Uint8Array(100));
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringMatching(/expected 246824 bytes of weights, found 100/),
    });
    await rm(path.join(dir, weights));
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringContaining('weights file named in model.json is missing'),
    });
    await writeFile(path.join(dir, 'model.json'), 'not json');
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringContaining('model.json: not a TensorFlow.js layers model.json'),
    });
  });

  test('when the checkpoint was trained with other normalisation, then CHECKPOINT_INCOMPATIBLE names the setting', async () => {
    const other = { ...metadata(1), preprocessing: { ...PREPROCESSING, mean: 0.5 } };
    await saveCheckpoint(dir, { model: createLenet({ seed: 1 }), metadata: other });
    await expect(loadCheckpoint(dir)).rejects.toMatchObject({
      code: 'CHECKPOINT_INCOMPATIBLE',
      message: expect.stringContaining('mean=0.5, this build uses 0.1307'),
    });
  });
});
