import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { get, postFile } from './support/http';
import { spawnServer, type ChildServer } from './support/server';

let fixture: Fixture;
let server: ChildServer;

// A child process, so that process_resident_memory_bytes is the server's own memory. It logs a
// line per request to a pipe this test drains, as in production.
beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  server = await spawnServer([
    '--model',
    fixture.checkpoint,
    '--port',
    '0',
    '--workers',
    '2',
    '--backend',
    'wasm',
    '--log-level',
    'info',
  ]);
}, 240_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await fixture?.remove();
});

/** Values of one metric from the Prometheus text, keyed by their label text. */
function metric(text: string, name: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match !== null) values.set(match[1] ?? '', Number(match[2]));
  }
  return values;
}

const scrape = async () => (await get(`${server.url}/metrics`)).body as string;

describe('GET /healthz, /readyz, /metrics', () => {
  test('when the server is up, then /healthz says ok and /readyz reports the workers, queue and model', async () => {
    expect((await get(`${server.url}/healthz`)).body).toEqual({ status: 'ok' });
    const ready = await get(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      workers: { ready: 2, configured: 2 },
      queue: { length: 0, capacity: 32 * 2 * 8 },
      model: { epoch: 1 },
    });
    expect(ready.body.model.weights_hash).toMatch(/^[0-9a-f]{12}$/);
  });

  test('when requests have been served, then /metrics counts them by route and status with latency, batch, queue and inference figures', async () => {
    const png = await digitPng(fixture.digits.image(0));
    for (let i = 0; i < 5; i += 1) await postFile(`${server.url}/predict`, png);
    await postFile(`${server.url}/predict`, Buffer.from('not an image'));
    const response = await get(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = response.body as string;
    expect(metric(text, 'lenet_http_requests_total').get('{method="POST",route="/predict",status="200"}')).toBe(5);
    expect(metric(text, 'lenet_http_requests_total').get('{method="POST",route="/predict",status="415"}')).toBe(1);
    expect(metric(text, 'lenet_http_request_duration_seconds_count').get('{route="/predict"}')).toBe(6);
    // Label order carries no meaning in the format; prom-client writes le first.
    expect(metric(text, 'lenet_http_request_duration_seconds_bucket').get('{le="+Inf",route="/predict"}')).toBe(6);
    expect(metric(text, 'lenet_batch_size_sum').get('')).toBe(6);
    expect(metric(text, 'lenet_inference_seconds_count').get('')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'lenet_images_total').get('{result="ok"}')).toBe(5);
    expect(metric(text, 'lenet_images_total').get('{result="IMAGE_UNSUPPORTED_FORMAT"}')).toBe(1);
    expect(metric(text, 'lenet_queue_length').get('')).toBe(0);
    expect(metric(text, 'lenet_workers_ready').get('')).toBe(2);
    expect([...metric(text, 'lenet_worker_tensors').keys()]).toHaveLength(2);
    expect(metric(text, 'process_resident_memory_bytes').get('')).toBeGreaterThan(10e6);
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      // Names may hold digits: prom-client's defaults include nodejs_eventloop_lag_p50_seconds.
      expect(line).toMatch(
        /^[a-z_][a-z0-9_]*(\{([a-z_]+="[^"]*",?)+\})? -?[0-9.e+-]+$|^[a-z_][a-z0-9_]*\{.*\} \+Inf$/i,
      );
    }
  });

  test('when 2,000 requests have been served, then tensors per worker are unchanged and resident memory is flat', async () => {
    const pngs = await Promise.all(Array.from({ length: 16 }, (_, i) => digitPng(fixture.digits.image(i))));
    const send = async (count: number) => {
      let next = 0;
      const client = async () => {
        while (next < count) {
          const i = next++;
          const response = await postFile(`${server.url}/predict`, pngs[i % 16]!);
          if (response.status !== 200) throw new Error(`request ${i}: ${response.status}`);
        }
      };
      await Promise.all(Array.from({ length: 16 }, client));
    };
    // Warm-up: JIT, pools, buffers and each worker's heap reach their working size. Measured: RSS
    // climbs for the first ~1,000 requests (two workers, each with its decoders and WASM heap), then
    // stays flat (+/- 10 MB over the next 4,000); a leak keeps climbing past it.
    await send(1000);
    const before = await scrape();
    await send(2000);
    const after = await scrape();
    expect(metric(after, 'lenet_worker_tensors')).toEqual(metric(before, 'lenet_worker_tensors'));
    const rss = (text: string) => metric(text, 'process_resident_memory_bytes').get('')!;
    expect(rss(after) - rss(before)).toBeLessThan(50 * 1024 * 1024);
    expect(
      metric(after, 'lenet_http_requests_total').get('{method="POST",route="/predict",status="200"}'),
    ).toBeGreaterThanOrEqual(3000);
  });
});
