import type { RunningServer } from '@lenet/serving';
import { readExposition } from './support/exposition';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { get, postFile } from './support/http';
import { startTestServer } from './support/server';

let fixture: Fixture;
let first: RunningServer;
let second: RunningServer;

// Two servers in one process: each must have its own registry (prom-client's global one would
// either throw on the second registration or mix their counts).
beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  first = await startTestServer(fixture.checkpoint);
  second = await startTestServer(fixture.checkpoint);
}, 240_000);
afterAll(async () => {
  await first?.close();
  await second?.close();
  await fixture?.remove();
});

/** The metric names and labels of the hand-written exposition: a contract. */
const CONTRACT: Record<string, string[]> = {
  lenet_http_requests_total: ['method', 'route', 'status'],
  lenet_http_request_duration_seconds: ['route'],
  lenet_images_total: ['result'],
  lenet_batch_size: [],
  lenet_inference_seconds: [],
  lenet_preprocess_seconds: [],
  lenet_queue_length: [],
  lenet_queue_capacity: [],
  lenet_images_in_flight: [],
  lenet_workers_ready: [],
  lenet_worker_restarts: [],
  lenet_worker_tensors: ['worker'],
  lenet_model_info: ['epoch', 'weights_hash'],
  nodejs_eventloop_delay_seconds: ['quantile'],
  process_resident_memory_bytes: [],
  nodejs_heap_used_bytes: [],
  process_cpu_seconds_total: [],
  process_start_time_seconds: [],
};

/** prom-client's default Node metrics. */
const DEFAULTS = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_active_handles_total',
];

const scrape = async (server: RunningServer) => {
  const response = await get(`${server.url}/metrics`);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return readExposition(response.body as string);
};

describe('GET /metrics (prom-client)', () => {
  test('when scraped after traffic, then every line is valid exposition format, with the contract names and labels and the default Node metrics', async () => {
    const png = await digitPng(fixture.digits.image(0));
    for (let i = 0; i < 3; i += 1) expect((await postFile(`${first.url}/predict`, png)).status).toBe(200);
    const { families, problems } = await scrape(first);
    expect(problems).toEqual([]);
    for (const [name, labels] of Object.entries(CONTRACT)) {
      const family = families.get(name);
      expect({ name, present: family !== undefined && family.samples.length > 0 }).toEqual({ name, present: true });
      const sample = family!.samples.find((s) => s.name === name || s.name === `${name}_count`)!;
      expect({ name, labels: Object.keys(sample.labels).sort() }).toEqual({ name, labels: [...labels].sort() });
    }
    for (const name of DEFAULTS) expect({ name, present: families.has(name) }).toEqual({ name, present: true });
    const requests = families.get('lenet_http_requests_total')!.samples;
    expect(requests).toContainEqual({
      name: 'lenet_http_requests_total',
      labels: { method: 'POST', route: '/predict', status: '200' },
      value: 3,
    });
  });

  test('when two servers run in one process, then each counts only its own requests', async () => {
    const png = await digitPng(fixture.digits.image(1));
    expect((await postFile(`${second.url}/predict`, png)).status).toBe(200);
    const count = async (server: RunningServer) =>
      (await scrape(server)).families
        .get('lenet_http_requests_total')!
        .samples.find((s) => s.labels.route === '/predict' && s.labels.status === '200')?.value;
    expect(await count(second)).toBe(1);
    expect(await count(first)).toBe(3);
  });
});
