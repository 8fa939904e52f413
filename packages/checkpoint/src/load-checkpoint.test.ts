import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createLenet } from '@lenet/model';
import { CheckpointError, CheckpointFormatError } from './errors';
import { loadCheckpoint } from './load-checkpoint';
import type { CheckpointMetadataInput } from './metadata';
import { testMetadata } from './test-fixtures';
import { saveCheckpoint } from './save-checkpoint';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const metadata: CheckpointMetadataInput = testMetadata(3, {
  metrics: { loss: 0.1, accuracy: 0.9 },
  history: [
    { epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.5, seconds: 2, imagesPerSecond: 100 },
  ],
});

async function saved(extra: Partial<CheckpointMetadataInput> = {}): Promise<string> {
  const model = createLenet({ seed: 1 });
  const optimizer = tf.train.momentum(0.1, 0.9);
  await saveCheckpoint(dir, { model, optimizer, metadata: { ...metadata, ...extra } });
  return path.join(dir, 'model.json');
}

/** Rewrites model.json through `edit`. */
async function editModelJson(edit: (json: Record<string, any>) => void): Promise<void> {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8'));
  edit(json);
  await writeFile(file, JSON.stringify(json));
}

async function loadError(options = {}): Promise<CheckpointError> {
  const error = await loadCheckpoint(dir, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

describe('loadCheckpoint: the format tag and metadata', () => {
  test('when a writer passes another format tag, then saveCheckpoint stores its own and the checkpoint loads', async () => {
    await saved({ format: 'something-else' });
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.userDefinedMetadata.lenet.format).toBe('lenet-checkpoint/1');
    expect((await loadCheckpoint(dir)).metadata?.format).toBe('lenet-checkpoint/1');
  });

  test('when the epoch is a string, then CHECKPOINT_BAD_METADATA names the field, the expectation and the value', async () => {
    const file = await saved();
    await editModelJson((json) => {
      json.userDefinedMetadata.lenet.epoch = 'x';
    });
    const error = await loadError();
    expect(error).toBeInstanceOf(CheckpointFormatError);
    expect(error).toMatchObject({ code: 'CHECKPOINT_BAD_METADATA', field: 'userDefinedMetadata.lenet.epoch' });
    expect(error.message).toBe(`${file}: userDefinedMetadata.lenet.epoch: expected a non-negative integer, found "x"`);
  });

  test.each([
    [
      'hyperparameters.lrSchedule',
      (l: any) => delete l.hyperparameters.lrSchedule,
      'expected one of constant, cosine, found nothing',
    ],
    ['history[0].testAccuracy', (l: any) => (l.history[0].testAccuracy = null), 'expected a finite number, found null'],
    ['data', (l: any) => (l.data = 5), 'expected an object, found 5'],
    ['classNames', (l: any) => (l.classNames = ['a']), 'expected 10 class names, found 1'],
    [
      'classNames[2]',
      (l: any) => (l.classNames = ['a', 'b', ' ', ...'defghij']),
      'expected a non-empty string, found " "',
    ],
  ])('when %s is wrong, then the error names that field', async (field, edit, detail) => {
    await saved();
    await editModelJson((json) => edit(json.userDefinedMetadata.lenet));
    const error = await loadError();
    expect(error).toMatchObject({ code: 'CHECKPOINT_BAD_METADATA', field: `userDefinedMetadata.lenet.${field}` });
    expect(error.message).toContain(detail);
  });

  test('when the format tag is another version, then CHECKPOINT_INCOMPATIBLE names the tag', async () => {
    await saved();
    await editModelJson((json) => {
      json.userDefinedMetadata.lenet.format = 'lenet-checkpoint/2';
    });
    expect((await loadError()).message).toContain(
      'userDefinedMetadata.lenet.format: expected "lenet-checkpoint/1", found "lenet-checkpoint/2"',
    );
  });

  test('when ten class names are stored, then they come back in the metadata', async () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    await saved({ classNames: names });
    expect((await loadCheckpoint(dir)).metadata?.classNames).toEqual(names);
  });
});

describe('loadCheckpoint: files outside the folder and non-finite weights', () => {
  test('when model.json names ../../file as its weights, then CHECKPOINT_UNSAFE_PATH refuses it before reading', async () => {
    await saved();
    const weights = (await readdir(dir)).find((name) => name.startsWith('weights.'))!;
    // A perfectly good weights file one folder up: only the path is wrong.
    await writeFile(path.join(dir, '..', `${path.basename(dir)}-outside.bin`), await readFile(path.join(dir, weights)));
    try {
      await editModelJson((json) => {
        json.weightsManifest[0].paths = [`../${path.basename(dir)}-outside.bin`];
      });
      const error = await loadError();
      expect(error).toMatchObject({ code: 'CHECKPOINT_UNSAFE_PATH', field: 'weightsManifest[0].paths[0]' });
      expect(error.message).toContain('expected a file name inside the checkpoint folder');
    } finally {
      await rm(path.join(dir, '..', `${path.basename(dir)}-outside.bin`), { force: true });
    }
  });

  test.each([['/etc/passwd'], ['../../etc/passwd']])(
    'when the optimizer path is %s, then CHECKPOINT_UNSAFE_PATH names the optimizer field',
    async (unsafe) => {
      await saved();
      await editModelJson((json) => {
        json.userDefinedMetadata.lenet.optimizer.path = unsafe;
      });
      const error = await loadError({ withOptimizer: true });
      expect(error).toMatchObject({
        code: 'CHECKPOINT_UNSAFE_PATH',
        field: 'userDefinedMetadata.lenet.optimizer.path[0]',
      });
    },
  );

  test('when a weight is NaN, then CHECKPOINT_NON_FINITE names the tensor and the index', async () => {
    await saved();
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const weightsFile = path.join(dir, json.weightsManifest[0].paths[0]);
    const bytes = await readFile(weightsFile);
    const firstSize = json.weightsManifest[0].weights[0].shape.reduce((a: number, b: number) => a * b, 1);
    // The second tensor's element 2.
    bytes.writeFloatLE(Number.NaN, (firstSize + 2) * 4);
    await writeFile(weightsFile, bytes);
    const error = await loadError();
    expect(error).toMatchObject({ code: 'CHECKPOINT_NON_FINITE' });
    expect(error.message).toContain(
      `weight ${json.weightsManifest[0].weights[1].name}: expected finite numbers, found NaN at index 2`,
    );
  });
});

describe('saveCheckpoint refuses what loading would refuse', () => {
  test('when the metadata has a negative epoch, then nothing is written and the error names the field', async () => {
    const error = await saved({ epoch: -1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckpointFormatError);
    expect(error).toMatchObject({ code: 'CHECKPOINT_BAD_METADATA', field: 'userDefinedMetadata.lenet.epoch' });
    expect(await readdir(dir)).toEqual([]);
  });
});
