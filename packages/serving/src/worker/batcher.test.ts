import { OverloadedError, RequestError, WorkerError } from '../errors';
import { Batcher, type BatchWorkers, type WorkerLoad } from './batcher';
import type { ItemResult, WorkItem } from './protocol';

/** One call to `run`, answered by the test when it wants. */
interface Call {
  worker: FakeWorker;
  names: string[];
  answer: (results: Array<ItemResult | undefined>) => void;
  fail: (error: Error) => void;
}

interface FakeWorker extends WorkerLoad {
  inFlight: number;
  ready: boolean;
}

/** A plain object implementing the small interface the batcher consumes; no threads. */
class Workers implements BatchWorkers<FakeWorker> {
  readonly list: FakeWorker[];
  readonly calls: Call[] = [];
  startingCount = 0;
  private listener: () => void = () => undefined;

  constructor(count: number) {
    this.list = Array.from({ length: count }, () => ({ inFlight: 0, ready: true }));
  }
  get readyCount() {
    return this.list.filter((w) => w.ready).length;
  }
  get idleCount() {
    return this.list.filter((w) => w.ready && w.inFlight === 0).length;
  }
  leastLoaded() {
    return this.list.filter((w) => w.ready).sort((a, b) => a.inFlight - b.inFlight)[0];
  }
  run(worker: FakeWorker, items: WorkItem[]) {
    worker.inFlight += 1;
    return new Promise<Array<ItemResult | undefined>>((resolve, reject) => {
      const done = () => {
        worker.inFlight -= 1;
        queueMicrotask(() => this.listener());
      };
      this.calls.push({
        worker,
        names: items.map((i) => i.name),
        answer: (results) => {
          done();
          resolve(results);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  }
  onCapacityChange(listener: () => void) {
    this.listener = listener;
  }
  changed() {
    this.listener();
  }
  /** Answers every call so far with ok results (probability 0 = name length). */
  answerAll() {
    for (const call of this.calls.splice(0)) call.answer(call.names.map(ok));
  }
}

const ok = (name: string): ItemResult => ({
  ok: true,
  probabilities: new Float32Array(10).fill(name.length),
  format: 'png',
  width: 1,
  height: 1,
});
const item = (name: string, bytes = 4): WorkItem => ({ bytes: new ArrayBuffer(bytes), name });
function only(workers: Workers): FakeWorker {
  const [worker] = workers.list;
  if (worker === undefined) throw new Error('expected one fake worker, found none');
  return worker;
}
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { maxBatch: 4, maxDelayMs: 20, maxQueue: 16 };

describe('Batcher', () => {
  test('when one image arrives and a worker is idle, then it goes out at once, alone', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, options);
    const [result] = batcher.submit([item('a')]);
    await tick();
    expect(workers.calls.map((c) => c.names)).toEqual([['a']]);
    workers.answerAll();
    await expect(result).resolves.toMatchObject({ ok: true });
  });

  test('when images arrive in one turn of the event loop, then they travel together, at most max-batch a batch', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxDelayMs: 0 });
    batcher.submit(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => item(n)));
    await tick();
    expect(workers.calls.map((c) => c.names)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f'],
    ]);
  });

  test('when every worker is busy, then a lone image waits up to max-delay-ms for others before it goes', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxDelayMs: 60 });
    batcher.submit([item('busy')]);
    await tick();
    const startedAt = performance.now();
    batcher.submit([item('late')]);
    await tick(20);
    expect(workers.calls).toHaveLength(1);
    while (workers.calls.length < 2 && performance.now() - startedAt < 1000) await tick(5);
    expect(workers.calls[1]?.names).toEqual(['late']);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(55);
  });

  test('when every worker is busy and max-batch images wait, then they go without waiting out the delay', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxDelayMs: 10_000 });
    batcher.submit([item('busy')]);
    await tick();
    batcher.submit(['a', 'b', 'c', 'd'].map((n) => item(n)));
    await tick(5);
    expect(workers.calls.map((c) => c.names)).toEqual([['busy'], ['a', 'b', 'c', 'd']]);
  });

  test('when more images would wait than max-queue, then submit throws OVERLOADED and queues none', async () => {
    const workers = new Workers(1);
    only(workers).inFlight = 2;
    const batcher = new Batcher(workers, { ...options, maxQueue: 3 });
    batcher.submit([item('a'), item('b')]);
    expect(() => batcher.submit([item('c'), item('d')])).toThrow(OverloadedError);
    expect(batcher.queueLength).toBe(2);
  });

  test('when a worker is replaced before finishing some images, then those go again ahead of newer ones', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, options);
    const [a, bad, c] = batcher.submit(['a', 'bad', 'c'].map((n) => item(n)));
    await tick();
    batcher.submit([item('newer')]);
    const first = workers.calls.shift();
    first?.answer([
      undefined,
      { ok: false, error: { code: 'IMAGE_DECODE_TIMEOUT', message: 'bad: too slow' } },
      undefined,
    ]);
    await expect(bad).resolves.toMatchObject({ ok: false, error: { code: 'IMAGE_DECODE_TIMEOUT' } });
    await tick();
    expect(workers.calls.map((call) => call.names)).toEqual([['a', 'c', 'newer']]);
    workers.answerAll();
    await expect(Promise.all([a, c])).resolves.toMatchObject([{ ok: true }, { ok: true }]);
  });

  test('when an image comes back unfinished more than max-retries times, then it fails with WORKER_CRASHED', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxRetries: 1 });
    const [result] = batcher.submit([item('unlucky')]);
    for (let round = 0; round < 2; round += 1) {
      await tick();
      workers.calls.shift()?.answer([undefined]);
    }
    await expect(result).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
  });

  test('when a batch fails as a whole, then each of its images rejects with that error', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, options);
    const results = batcher.submit([item('a'), item('b')]);
    await tick();
    workers.calls.shift()?.fail(new WorkerError('WORKER_CRASHED', 'worker 1 exited'));
    for (const result of results) await expect(result).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
  });

  test('when no worker is ready but one is starting, then images wait for it; with none starting, they fail NO_WORKER_READY', async () => {
    const workers = new Workers(1);
    only(workers).ready = false;
    workers.startingCount = 1;
    const batcher = new Batcher(workers, options);
    const [waits] = batcher.submit([item('a')]);
    await tick();
    expect(workers.calls).toHaveLength(0);
    only(workers).ready = true;
    workers.startingCount = 0;
    workers.changed();
    await tick();
    workers.answerAll();
    await expect(waits).resolves.toMatchObject({ ok: true });

    only(workers).ready = false;
    only(workers).inFlight = 0;
    workers.startingCount = 1;
    const [stranded] = batcher.submit([item('b')]);
    workers.startingCount = 0;
    workers.changed();
    await expect(stranded).rejects.toMatchObject({ code: 'NO_WORKER_READY' });
    expect(() => batcher.submit([item('c')])).toThrow(expect.objectContaining({ code: 'NO_WORKER_READY' }));
  });

  test('when the client goes away before a worker takes its image, then it is dropped with CLIENT_CLOSED_REQUEST', async () => {
    const workers = new Workers(1);
    only(workers).inFlight = 2;
    const batcher = new Batcher(workers, options);
    const controller = new AbortController();
    const [gone] = batcher.submit([item('gone')], controller.signal);
    const [kept] = batcher.submit([item('kept')]);
    controller.abort();
    await expect(gone).rejects.toBeInstanceOf(RequestError);
    await expect(gone).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
    only(workers).inFlight = 0;
    workers.changed();
    await tick();
    expect(workers.calls.map((c) => c.names)).toEqual([['kept']]);
    workers.answerAll();
    await expect(kept).resolves.toMatchObject({ ok: true });
  });

  test('when large images wait, then a batch holds at most max-batch-bytes of them, and always one', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxDelayMs: 0, maxBatchBytes: 1000, pipelineDepth: 8 });
    batcher.submit([item('a', 400), item('b', 400), item('c', 400), item('huge', 5000)]);
    await tick();
    expect(workers.calls.map((c) => c.names)).toEqual([['a', 'b'], ['c'], ['huge']]);
  });

  test('when 280x280 photo JPEGs (6.5 KB) wait, then the default byte budget sends them five at a time, and 28x28 PNGs thirty-two', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, { ...options, maxBatch: 32, maxQueue: 64, maxDelayMs: 0, pipelineDepth: 64 });
    const photos = Array.from({ length: 10 }, (_, i) => item(`photo-${i}`, 6473));
    const digits = Array.from({ length: 32 }, (_, i) => item(`digit-${i}`, 657));
    batcher.submit([...photos, ...digits]);
    await tick();
    expect(workers.calls.map((c) => c.names.length)).toEqual([5, 5, 32]);
  });

  test('when closed, then new images are refused with SHUTTING_DOWN and drained() waits for those in flight', async () => {
    const workers = new Workers(1);
    const batcher = new Batcher(workers, options);
    const pending = batcher.submit([item('a')]);
    batcher.close();
    expect(() => batcher.submit([item('b')])).toThrow(expect.objectContaining({ code: 'SHUTTING_DOWN' }));
    let drained = false;
    const draining = batcher.drained().then(() => {
      drained = true;
    });
    await tick();
    expect(drained).toBe(false);
    workers.answerAll();
    await Promise.all([...pending, draining]);
    expect(drained).toBe(true);
  });
});
