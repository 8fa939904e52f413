import type { RunningServer } from '@lenet/serving';
import { httpRequest, multipartBody, pngHeaderClaiming } from './support/crafted-images';
import { blankPng, digitJpeg, digitPng, makeFixture, type Fixture } from './support/fixtures';
import { get, parseRawResponse, postFile, postParts, postRaw, rawHttp } from './support/http';
import { startTestServer } from './support/server';

let fixture: Fixture;
let server: RunningServer;
let png: Buffer;
let jpeg: Buffer;

// Small limits so each can be crossed cheaply: 50 KiB uploads, one megapixel.
beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  server = await startTestServer(fixture.checkpoint, ['--max-upload-mb', '0.05', '--max-pixels', '1000000']);
  png = await digitPng(fixture.digits.image(0));
  jpeg = await digitJpeg(fixture.digits.image(0), 140);
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.remove();
});

const predict = () => `${server.url}/predict`;

function expectError(
  response: { status: number; body: { error?: { code: string; message: string } } },
  status: number,
  code: string,
): void {
  expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
  expect(typeof response.body.error?.message).toBe('string');
  expect(Object.keys(response.body)).toEqual(['error']);
}

describe('POST /predict with bad input', () => {
  test('when there is no body, a JSON body or an empty raw body, then 400 MISSING_FILE', async () => {
    expectError(await postRaw(predict(), '', {}), 400, 'MISSING_FILE');
    const json = await postRaw(predict(), '{"file":"x"}', { 'Content-Type': 'application/json' });
    expectError(json, 400, 'MISSING_FILE');
    expect(json.body.error.message).toContain("found content type 'application/json'");
    expectError(await postRaw(predict(), '', { 'Content-Type': 'image/png' }), 400, 'MISSING_FILE');
  });

  test('when the file is in another field, then 400 UNEXPECTED_FIELD naming it; when file is a text field, then 400 MISSING_FILE', async () => {
    const other = await postParts(predict(), [{ field: 'image', bytes: png, name: 'digit.png', type: 'image/png' }]);
    expectError(other, 400, 'UNEXPECTED_FIELD');
    expect(other.body.error.message).toContain("'image'");
    const text = await postParts(predict(), [{ field: 'file', bytes: 'digit.png' }]);
    expectError(text, 400, 'MISSING_FILE');
    expect(text.body.error.message).toContain("text field named 'file'");
  });

  test('when the bytes are not an image, whatever the name and content type say, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const html = Buffer.from('<html><body>not a digit</body></html>');
    expectError(await postFile(predict(), html, 'digit.png', 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await postFile(predict(), html, 'DIGIT.JPG', 'image/jpeg'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const raw = await postRaw(predict(), Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), {
      'Content-Type': 'image/webp',
    });
    expectError(raw, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(raw.body.error.message).toContain('WebP');
  });

  test('when the image is cut inside its header, then 400 IMAGE_TRUNCATED; cut inside its data or corrupt, then 400 IMAGE_DECODE_FAILED', async () => {
    expectError(await postFile(predict(), png.subarray(0, 20)), 400, 'IMAGE_TRUNCATED');
    expectError(await postFile(predict(), png.subarray(0, Math.floor(png.length * 0.6))), 400, 'IMAGE_DECODE_FAILED');
    const corrupt = Buffer.from(jpeg);
    corrupt.fill(0xff, 200);
    expectError(await postFile(predict(), corrupt, 'photo.jpg', 'image/jpeg'), 400, 'IMAGE_DECODE_FAILED');
  });

  test('when the upload is over --max-upload-mb, as a part or a raw body, then 413 UPLOAD_TOO_LARGE', async () => {
    const big = Buffer.concat([png, Buffer.alloc(60 * 1024)]);
    const part = await postFile(predict(), big);
    expectError(part, 413, 'UPLOAD_TOO_LARGE');
    expect(part.body.error.message).toContain('--max-upload-mb');
    expectError(await postRaw(predict(), big, { 'Content-Type': 'image/png' }), 413, 'UPLOAD_TOO_LARGE');
  });

  test('when the header announces more pixels than --max-pixels, then 413 IMAGE_TOO_MANY_PIXELS before any decoding', async () => {
    const bomb = pngHeaderClaiming(50_000, 50_000);
    expect(bomb.length).toBeLessThan(100);
    const response = await postFile(predict(), bomb, 'bomb.png');
    expectError(response, 413, 'IMAGE_TOO_MANY_PIXELS');
    expect(response.body.error.message).toContain('50000x50000');
  });

  test('when two files, too many parts or a huge text field are sent, then 413 TOO_MANY_FILES / TOO_MANY_PARTS / FIELD_TOO_LARGE', async () => {
    expectError(
      await postParts(predict(), [
        { bytes: png, name: 'a.png' },
        { bytes: png, name: 'b.png' },
      ]),
      413,
      'TOO_MANY_FILES',
    );
    const fields = Array.from({ length: 40 }, (_, i) => ({ field: `f${i}`, bytes: 'x' }));
    expectError(await postParts(predict(), [{ bytes: png, name: 'a.png' }, ...fields]), 413, 'TOO_MANY_PARTS');
    expectError(
      await postParts(predict(), [
        { field: 'note', bytes: 'x'.repeat(70_000) },
        { bytes: png, name: 'a.png' },
      ]),
      413,
      'FIELD_TOO_LARGE',
    );
  });

  test('when the multipart body is broken (no boundary, unterminated, bad part header), then 400 MALFORMED_MULTIPART', async () => {
    const noBoundary = await rawHttp(
      predict(),
      httpRequest('/predict', { 'Content-Type': 'multipart/form-data', 'Content-Length': 4 }, 'abcd'),
    );
    expectError(parseRawResponse(noBoundary), 400, 'MALFORMED_MULTIPART');
    const body = multipartBody(
      'XyZ',
      [{ headers: 'Content-Disposition: form-data; name="file"; filename="a.png"', body: png }],
      false,
    );
    const unterminated = await rawHttp(
      predict(),
      httpRequest(
        '/predict',
        { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Content-Length': body.length },
        body,
      ),
    );
    expectError(parseRawResponse(unterminated), 400, 'MALFORMED_MULTIPART');
    const badHeader = Buffer.from(`--XyZ\r\n${'x'.repeat(90_000)}\r\n\r\nabc\r\n--XyZ--\r\n`);
    const malformed = await rawHttp(
      predict(),
      httpRequest(
        '/predict',
        { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Content-Length': badHeader.length },
        badHeader,
      ),
    );
    expect([400, 413]).toContain(parseRawResponse(malformed).status);
  });

  test('when the image holds no digit, then 422 IMAGE_NO_DIGIT', async () => {
    expectError(await postFile(predict(), await blankPng(), 'blank.png'), 422, 'IMAGE_NO_DIGIT');
  });

  test('when the method is not POST, then 405 with Allow', async () => {
    const response = await get(predict());
    expectError(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('when clients hang up mid-upload, then the server carries on and counts them as 499', async () => {
    const body = multipartBody('XyZ', [
      { headers: 'Content-Disposition: form-data; name="file"; filename="a.png"', body: png },
    ]);
    await rawHttp(
      predict(),
      httpRequest(
        '/predict',
        { 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Content-Length': body.length + 5000 },
        body.subarray(0, 100),
      ),
      { hangUp: true },
    );
    await rawHttp(
      predict(),
      httpRequest('/predict', { 'Content-Type': 'image/png', 'Content-Length': 40_000 }, png.subarray(0, 50)),
      { hangUp: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await postFile(predict(), png)).status).toBe(200);
    const metrics = (await get(`${server.url}/metrics`)).body as string;
    expect(metrics).toMatch(/lenet_http_requests_total\{method="POST",route="\/predict",status="499"\} 2/);
  });

  test('when all of the above has happened, then the server is alive and has never answered 5xx', async () => {
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
    const metrics = (await get(`${server.url}/metrics`)).body as string;
    expect(metrics).not.toMatch(/lenet_http_requests_total\{[^}]*status="5\d\d"\}/);
  });
});
