import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StartupError, WorkerError } from '../errors';
import { Batcher } from './batcher';
import { WorkerPool } from './worker-pool';

// A stand-in worker speaking the real protocol, so crashes and hangs can be caused on purpose:
// the pool and batcher under test are the shipped ones; the real worker is covered over HTTP.
const STAND_IN = (budget: string) => `
const { parentPort, workerData } = require('node:worker_threads');
const { markDecoding } = require(${JSON.stringify(budget)});
if (workerData.model === 'fail') parentPort.postMessage({ type: 'failed', error: { code: 'CHECKPOINT_NOT_FOUND', message: 'fail: no such checkpoint' } });
else parentPort.postMessage({ type: 'ready', backend: 'backend: stand-in', decoder: 'image decoder: stand-in', epoch: 3, testAccuracy: 0.5, weightsHash: 'abc123', numTensors: 7 });
const hoard = [];
parentPort.on('message', (request) => {
  const names = request.items.map((item) => item.name);
  if (names.includes('crash')) process.exit(3);
  if (names.includes('hang')) return;
  names.forEach((name, i) => {
    markDecoding(workerData.progress, request.id, i);
    if (name === 'spin') for (;;);
    if (name === 'slow') for (const until = Date.now() + 800; Date.now() < until; );
    if (name === 'hog') for (;;) hoard.push(new Array(1e5).fill(i));
  });
  markDecoding(workerData.progress, request.id, -1);
  const results = names.map((name) => ({ ok: true, probabilities: new Float32Array(10).fill(name.length), format: 'png', width: 1, height: 1 }));
  setTimeout(() => parentPort.postMessage({ type: 'result', id: request.id, results, preprocessSeconds: [], inferenceSeconds: 0, numTensors: 7 }), 20);
});`;

let dir: string;
let script: string;
const settings = (model = 'ok') => ({
  model,
  backend: 'cpu' as const,
  decoder: 'auto' as const,
  maxPixels: 1e6,
  maxBatch: 4,
});
const item = (name: string) => ({ bytes: new ArrayBuffer(4), name });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-pool-test-'));
  script = path.join(dir, 'stand-in-worker.js');
  // The compiled budget helpers, as the real worker uses them (tsc -b runs before jest).
  await writeFile(script, STAND_IN(path.resolve(__dirname, '..', '..', 'dist', 'worker', 'decode-budget.js')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
// A failed expectation must not leave worker threads running (jest would never exit).
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

async function poolWithBatcher(
  options: {
    size?: number;
    batchTimeoutMs?: number;
    maxQueue?: number;
    decodeTimeoutMs?: number;
    memoryMb?: number;
  } = {},
) {
  const pool = new WorkerPool({ size: options.size ?? 1, settings: settings(), script, ...options });
  pools.push(pool);
  const identity = await pool.start();
  const batcher = new Batcher(pool, { maxBatch: 4, maxDelayMs: 2, maxQueue: options.maxQueue ?? 64 });
  return { pool, batcher, identity };
}

describe('WorkerPool and Batcher', () => {
  test('when every worker starts, then start() reports what they loaded', async () => {
    const { pool, identity } = await poolWithBatcher({ size: 2 });
    expect(identity).toEqual({
      epoch: 3,
      testAccuracy: 0.5,
      weightsHash: 'abc123',
      backend: 'backend: stand-in',
      decoder: 'image decoder: stand-in',
    });
    expect(pool.readyCount).toBe(2);
    await pool.close();
  });

  test('when a worker cannot load its checkpoint, then start() rejects with its code and message', async () => {
    const pool = new WorkerPool({ size: 2, settings: settings('fail'), script });
    await expect(pool.start()).rejects.toEqual(new StartupError('CHECKPOINT_NOT_FOUND', 'fail: no such checkpoint'));
    expect(pool.readyCount).toBe(0);
  });

  test('when images arrive together, then they share batches of at most max-batch, each answered in order', async () => {
    const { pool, batcher } = await poolWithBatcher();
    const names = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'];
    const results = await Promise.all(batcher.submit(names.map(item)));
    expect(results.map((r) => (r.ok ? r.probabilities[0] : -1))).toEqual([1, 2, 3, 4, 5, 6]);
    await pool.close();
  });

  test('when a worker dies mid-batch, then that batch fails with WORKER_CRASHED, a replacement starts, and later images succeed', async () => {
    const { pool, batcher } = await poolWithBatcher();
    const [crashed] = batcher.submit([item('crash')]);
    await expect(crashed).rejects.toBeInstanceOf(WorkerError);
    await expect(crashed).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    for (let waited = 0; pool.readyCount === 0 && waited < 10_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(pool.restartCount).toBe(1);
    const [after] = batcher.submit([item('ok')]);
    await expect(after).resolves.toMatchObject({ ok: true });
    await pool.close();
  });

  test('when a worker does not answer in time, then its batch fails with WORKER_TIMEOUT and it is replaced', async () => {
    const { pool, batcher } = await poolWithBatcher({ batchTimeoutMs: 300 });
    const [hung] = batcher.submit([item('hang')]);
    await expect(hung).rejects.toMatchObject({ code: 'WORKER_TIMEOUT' });
    for (let waited = 0; pool.readyCount === 0 && waited < 10_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    await expect(batcher.submit([item('ok')])[0]).resolves.toMatchObject({ ok: true });
    await pool.close();
  });

  test('when more images are queued than max-queue, then submit throws OVERLOADED and queues none of them', async () => {
    const { pool, batcher } = await poolWithBatcher({ maxQueue: 3 });
    expect(() => batcher.submit(['a', 'b', 'c', 'd'].map(item))).toThrow(
      expect.objectContaining({ code: 'OVERLOADED' }),
    );
    expect(batcher.queueLength).toBe(0);
    await pool.close();
  });

  test('when the batcher is closed, then new images are refused and queued ones still finish', async () => {
    const { pool, batcher } = await poolWithBatcher();
    const pending = batcher.submit(['a', 'b'].map(item));
    batcher.close();
    expect(() => batcher.submit([item('c')])).toThrow(expect.objectContaining({ code: 'SHUTTING_DOWN' }));
    await expect(Promise.all(pending)).resolves.toHaveLength(2);
    await batcher.drained();
    await pool.close();
  });
});

describe('WorkerPool decode budget', () => {
  test('when an image decodes past the deadline, then it alone gets IMAGE_DECODE_TIMEOUT, its worker is replaced and the others are answered', async () => {
    const { pool, batcher } = await poolWithBatcher({ decodeTimeoutMs: 300 });
    const started = performance.now();
    const [before, spin, after] = batcher.submit(['a', 'spin', 'ccc'].map(item));
    await expect(spin).resolves.toMatchObject({ ok: false, error: { code: 'IMAGE_DECODE_TIMEOUT' } });
    expect(performance.now() - started).toBeLessThan(1300);
    await expect(Promise.all([before, after])).resolves.toMatchObject([{ ok: true }, { ok: true }]);
    expect(pool.restartCount).toBe(1);
    await pool.close();
  });

  test('when a worker is on one image for long, then the other images it holds go to another worker at once', async () => {
    const { pool, batcher } = await poolWithBatcher({ size: 2, decodeTimeoutMs: 5000 });
    const started = performance.now();
    // Two idle workers share the three images: the slow one and 'a' on one worker, 'bb' on the other.
    const [slow, a] = batcher
      .submit(['slow', 'a', 'bb'].map(item))
      .map((result) => result.then((r) => ({ r, ms: performance.now() - started })));
    const [slowDone, aDone] = await Promise.all([slow, a]);
    expect(aDone?.r).toMatchObject({ ok: true });
    expect(aDone?.ms).toBeLessThan(600);
    expect(slowDone?.r).toMatchObject({ ok: true });
    expect(slowDone?.ms).toBeGreaterThanOrEqual(800);
    expect(pool.restartCount).toBe(0);
    await pool.close();
  });

  test('when an image makes its worker pass the heap ceiling, then it gets IMAGE_TOO_COMPLEX and the others are answered', async () => {
    const { pool, batcher } = await poolWithBatcher({ memoryMb: 64, decodeTimeoutMs: 60_000 });
    const [hog, other] = batcher.submit(['hog', 'bb'].map(item));
    await expect(hog).resolves.toMatchObject({ ok: false, error: { code: 'IMAGE_TOO_COMPLEX' } });
    await expect(other).resolves.toMatchObject({ ok: true });
    await pool.close();
  });
});

describe('Batcher queue hygiene', () => {
  test('when a client goes away before a worker takes its image, then the image is dropped and its promise rejects with CLIENT_CLOSED_REQUEST', async () => {
    const { pool, batcher } = await poolWithBatcher();
    const busy = batcher.submit(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map(item));
    const controller = new AbortController();
    const [gone] = batcher.submit([item('gone')], controller.signal);
    controller.abort();
    await expect(gone).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
    await expect(Promise.all(busy)).resolves.toHaveLength(10);
    await batcher.drained();
    expect(batcher.queueLength).toBe(0);
    await pool.close();
  });

  test('when large images are queued, then a batch holds no more than max-batch-bytes of them (and always one)', async () => {
    const sizes: number[] = [];
    const pool = new WorkerPool({ size: 1, settings: settings(), script });
    pool.onBatchDone((stats) => sizes.push(stats.size));
    await pool.start();
    const batcher = new Batcher(pool, { maxBatch: 8, maxDelayMs: 2, maxQueue: 64, maxBatchBytes: 1000 });
    const big = (name: string) => ({ bytes: new ArrayBuffer(400), name });
    await Promise.all(batcher.submit(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(big)));
    await Promise.all(batcher.submit([{ bytes: new ArrayBuffer(5000), name: 'huge' }]));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
    await pool.close();
  });
});
