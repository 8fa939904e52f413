import type { RunningServer } from '@lenet/serving';
import { blankPng, digitJpeg, digitPng, makeFixture, type Fixture } from './support/fixtures';
import { postFile, postParts } from './support/http';
import { startTestServer } from './support/server';

let fixture: Fixture;
let server: RunningServer;
let photo: Buffer;

// A small queue, so that overload is easy to reach on purpose, and the pure-JS decoder, so that the
// overload test's megapixel photos keep the worker busy for most of a second (sharp decodes them in
// milliseconds). Both decoders answer the other tests alike (packages/image decoder-agreement tests).
beforeAll(async () => {
  fixture = await makeFixture();
  server = await startTestServer(fixture.checkpoint, [
    '--max-files',
    '12',
    '--max-queue',
    '10',
    '--max-batch',
    '4',
    '--decoder',
    'jimp',
  ]);
  // Encoded before any request: encoding a megapixel JPEG in a test blocks this process, server
  // included, for seconds, long enough for idle keep-alive connections to expire under the client.
  photo = await digitJpeg(fixture.digits.image(2), 2000);
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.remove();
});

const batch = () => `${server.url}/predict/batch`;

describe('POST /predict/batch', () => {
  test('when several file parts are sent, then the answers come in the same order, each as /predict would give it', async () => {
    const files = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => ({
        bytes: i % 2 === 0 ? await digitPng(fixture.digits.image(i)) : await digitJpeg(fixture.digits.image(i), 112),
        name: `d${i}.${i % 2 === 0 ? 'png' : 'jpg'}`,
        type: i % 2 === 0 ? 'image/png' : 'image/jpeg',
      })),
    );
    const response = await postParts(batch(), files);
    expect(response.status).toBe(200);
    expect(response.body.model).toEqual({ epoch: 2, weights_hash: server.model.weightsHash });
    expect(response.body.results).toHaveLength(8);
    for (let i = 0; i < 8; i += 1) {
      const single = await postFile(`${server.url}/predict`, files[i]!.bytes, files[i]!.name, files[i]!.type);
      const { model: _model, ms: _ms, ...expected } = single.body;
      expect(response.body.results[i]).toEqual(expected);
    }
  });

  test('when some files are bad, then only their entries carry an error and status, and the others are classified', async () => {
    const good = await digitPng(fixture.digits.image(1));
    const response = await postParts(batch(), [
      { bytes: good, name: 'good.png', type: 'image/png' },
      { bytes: Buffer.from('hello'), name: 'note.png', type: 'image/png' },
      { bytes: await blankPng(), name: 'blank.png', type: 'image/png' },
      { bytes: good.subarray(0, 30), name: 'cut.png', type: 'image/png' },
      { bytes: good, name: 'again.png', type: 'image/png' },
    ]);
    expect(response.status).toBe(200);
    const summary = response.body.results.map(
      (r: { filename: string; status?: number; error?: { code: string }; likely_class?: number }) => [
        r.filename,
        r.status ?? 200,
        r.error?.code ?? 'ok',
      ],
    );
    expect(summary).toEqual([
      ['good.png', 200, 'ok'],
      ['note.png', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['blank.png', 422, 'IMAGE_NO_DIGIT'],
      ['cut.png', 400, 'IMAGE_DECODE_FAILED'],
      ['again.png', 200, 'ok'],
    ]);
    expect(response.body.results[4].likely_class).toBe(response.body.results[0].likely_class);
  });

  test('when more files than --max-files are sent, then 413 TOO_MANY_FILES; with none, then 400 MISSING_FILE', async () => {
    const png = await digitPng(fixture.digits.image(2));
    const tooMany = await postParts(
      batch(),
      Array.from({ length: 13 }, (_, i) => ({ bytes: png, name: `${i}.png` })),
    );
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('TOO_MANY_FILES');
    expect(tooMany.body.error.message).toContain('--max-files');
    const none = await postParts(batch(), [{ field: 'comment', bytes: 'no files here' }]);
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('MISSING_FILE');
  });

  test('when a batch does not fit in the queue (--max-queue), then 503 OVERLOADED with Retry-After and nothing is queued', async () => {
    const png = await digitPng(fixture.digits.image(2));
    const response = await postParts(
      batch(),
      Array.from({ length: 11 }, (_, i) => ({ bytes: png, name: `${i}.png` })),
    );
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('OVERLOADED');
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await postFile(`${server.url}/predict`, png)).status).toBe(200);
  });

  test('when far more single requests arrive than the queue holds, then the excess gets 503 OVERLOADED and the rest 200', async () => {
    // Two 2000x2000 photos keep the only worker busy for most of a second (each a batch of its own,
    // being over the batch byte budget: both in flight, the queue empty); thirty small uploads then
    // arrive far faster than it can drain.
    const blocker = postParts(
      batch(),
      Array.from({ length: 2 }, (_, i) => ({ bytes: photo, name: `photo-${i}.jpg`, type: 'image/jpeg' })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const png = await digitPng(fixture.digits.image(2));
    const responses = await Promise.all(Array.from({ length: 30 }, () => postFile(`${server.url}/predict`, png)));
    expect((await blocker).status).toBe(200);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    for (const response of responses.filter((r) => r.status === 503)) {
      expect(response.body.error.code).toBe('OVERLOADED');
      expect(response.headers.get('retry-after')).toBe('1');
    }
  });
});
