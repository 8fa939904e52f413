import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { digitJpeg, digitPng, makeFixture, SERVER_BIN, type Fixture } from './support/fixtures';
import { get, postFile } from './support/http';
import { spawnServer } from './support/server';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
}, 240_000);
afterAll(async () => {
  await fixture?.remove();
});

function runBin(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SERVER_BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

describe('lenet-server start-up and shutdown', () => {
  test('when the checkpoint is missing, then start-up stops with one clear line and exit code 1', async () => {
    const run = await runBin(['--model', path.join(fixture.dir, 'nothing-here'), '--port', '0', '--workers', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*nothing-here: no such checkpoint/);
    expect(run.stdout).not.toContain('listening on');
  });

  test('when the checkpoint is corrupt, then start-up stops with one clear line and exit code 1', async () => {
    const broken = path.join(fixture.dir, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, 'model.json'), '{"modelTopology": ');
    const run = await runBin(['--model', broken, '--port', '0', '--workers', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*model\.json: not a TensorFlow\.js layers model\.json/);
  });

  test('when a flag or environment variable is wrong, then the line names it with what was expected and found', async () => {
    const flag = await runBin(['--model', fixture.checkpoint, '--max-batch', 'lots']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe("error: --max-batch: expected an integer from 1 to 1024, found 'lots'\n");
    const env = await runBin(['--model', fixture.checkpoint], { PORT: '99999' });
    expect(env.stderr).toBe("error: PORT: expected an integer from 0 to 65535, found '99999'\n");
    const unknown = await runBin(['--modle', 'x']);
    expect(unknown.stderr).toMatch(/^error: --modle: expected one of the server's flags/);
  });

  test('when --help is given, then every flag is listed with its environment variable', async () => {
    const run = await runBin(['--help']);
    expect(run.code).toBe(0);
    for (const pair of [
      '--port <value>',
      'env PORT',
      'env MODEL',
      'env WORKERS',
      'env MAX_BATCH',
      'env MAX_DELAY_MS',
      'env MAX_UPLOAD_MB',
      'env LOG_LEVEL',
    ]) {
      expect(run.stdout).toContain(pair);
    }
  });

  test('when started from the environment (MODEL, PORT, WORKERS), then it serves and logs one JSON line per request with its id', async () => {
    const server = await spawnServer([], { MODEL: fixture.checkpoint, PORT: '0', WORKERS: '1', LOG_LEVEL: 'info' });
    try {
      expect((await get(`${server.url}/readyz`)).status).toBe(200);
      const response = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'trace-42' } });
      expect(response.headers.get('x-request-id')).toBe('trace-42');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const requests = server.lines.map((line) => JSON.parse(line)).filter((entry) => entry.message === 'request');
      expect(requests).toHaveLength(2);
      expect(requests[1]).toMatchObject({
        level: 'info',
        id: 'trace-42',
        method: 'GET',
        route: '/healthz',
        status: 200,
      });
      expect(typeof requests[1].ms).toBe('number');
      expect(typeof requests[1].timestamp).toBe('string');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  test('when SIGTERM arrives with requests in flight, then each gets its 200, new connections are refused, and the exit code is 0', async () => {
    const server = await spawnServer([
      '--model',
      fixture.checkpoint,
      '--port',
      '0',
      '--workers',
      '1',
      '--max-batch',
      '2',
      '--max-queue',
      '64',
      // The pure-JS decoder keeps 24 one-megapixel photos in flight for seconds, long after every request
      // has reached the server even on a busy machine (sharp would answer them all in milliseconds).
      '--decoder',
      'jimp',
    ]);
    const jpeg = await digitJpeg(fixture.digits.image(0), 1000);
    const png = await digitPng(fixture.digits.image(0));
    expect((await postFile(`${server.url}/predict`, png)).status).toBe(200);
    const inFlight = Array.from({ length: 24 }, (_, i) =>
      postFile(`${server.url}/predict`, jpeg, `slow-${i}.jpg`, 'image/jpeg'),
    );
    // Let every request reach the server before the signal.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    server.child.kill('SIGTERM');
    const responses = await Promise.all(inFlight);
    expect(responses.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 24 }, () => 200));
    // The last answers went out while draining: they close their connection, so a keep-alive client
    // (a load balancer) does not reuse a socket the drain is about to cut.
    expect(responses[23]!.headers.get('connection')).toBe('close');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(await server.exited).toBe(0);
    const messages = server.lines.map((line) => JSON.parse(line).message);
    expect(messages).toContain('shutting down: no new connections; finishing requests in flight');
    expect(messages[messages.length - 1]).toBe('shut down');
  });
});
