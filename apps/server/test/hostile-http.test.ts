/**
 * Issue 10's HTTP findings, each against the real server on port 0: malformed URLs, Node's own
 * parser errors, security headers, Content-Encoding, and UTF-8 file names.
 */
import { parseServerConfig, type RunningServer, startServer } from '@lenet/serving';
import { httpRequest, multipartBody } from './support/crafted-images';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { get, parseRawResponse, postFile, postRaw, rawHttp } from './support/http';
import { recordingLogger } from './support/recording-logger';

let fixture: Fixture;
let server: RunningServer;
let png: Buffer;
const log = recordingLogger();

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  const config = parseServerConfig(
    ['--model', fixture.checkpoint, '--port', '0', '--workers', '1', '--backend', 'wasm'],
    {},
  );
  server = await startServer(config, { logger: log.logger });
  png = await digitPng(fixture.digits.image(0));
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.remove();
});

const rawGet = (path: string) => rawHttp(server.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

describe('hostile HTTP', () => {
  test('when a path has a broken percent-escape, then 400 MALFORMED_URL in JSON and no error or stack in the log', async () => {
    for (const path of ['/model/%ZZ', '/model/%', '/model/%E0%A4%A', '/predict%']) {
      const response = parseRawResponse(await rawGet(path));
      expect({ path, status: response.status, code: response.body.error?.code }).toEqual({
        path,
        status: 400,
        code: 'MALFORMED_URL',
      });
    }
    expect(log.lines.filter((line) => line.level === 'error')).toEqual([]);
    // A well-formed escape still reaches its route.
    expect((await get(`${server.url}/model/model%2Ejson`)).status).toBe(200);
  });

  test("when Node's parser refuses a request (bad chunking, a lying Content-Length), then a JSON BAD_REQUEST body and the connection closes", async () => {
    const chunked = await rawHttp(
      server.url,
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    );
    const twoLengths = await rawHttp(
      server.url,
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 4\r\nContent-Length: 9\r\n\r\nabcd',
    );
    for (const text of [chunked, twoLengths]) {
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text.toLowerCase()).toContain('content-type: application/json');
      expect(parseRawResponse(text).body.error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(parseRawResponse(text).body.error?.message).toContain('expected a well-formed HTTP/1.1 request');
    }
  });

  test('when any response is sent (page, JSON, error, prediction), then it has nosniff, a frame policy and a CSP', async () => {
    const responses = {
      page: await get(`${server.url}/`, { Accept: 'text/html' }),
      greeting: await get(`${server.url}/`),
      health: await get(`${server.url}/healthz`),
      notFound: await get(`${server.url}/nope`),
      prediction: await postFile(`${server.url}/predict`, png),
    };
    for (const [name, response] of Object.entries(responses)) {
      const headers = {
        name,
        nosniff: response.headers.get('x-content-type-options'),
        frame: response.headers.get('x-frame-options'),
        ancestors: /frame-ancestors 'none'/.test(response.headers.get('content-security-policy') ?? ''),
      };
      expect(headers).toEqual({ name, nosniff: 'nosniff', frame: 'DENY', ancestors: true });
    }
    expect(responses.greeting.headers.get('content-security-policy')).toContain("default-src 'none'");
    // The page keeps its own <meta> policy; the header repeats it, so the two cannot disagree.
    const page = responses.page.body as string;
    const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1];
    if (meta !== undefined) expect(responses.page.headers.get('content-security-policy')).toContain(meta);
  });

  test('when the body has a Content-Encoding other than identity (raw or multipart), then 415 UNSUPPORTED_CONTENT_ENCODING', async () => {
    for (const encoding of ['br', 'gzip', 'x-unknown']) {
      const raw = await postRaw(`${server.url}/predict`, png, {
        'Content-Type': 'image/png',
        'Content-Encoding': encoding,
      });
      expect({ encoding, status: raw.status, code: raw.body.error?.code }).toEqual({
        encoding,
        status: 415,
        code: 'UNSUPPORTED_CONTENT_ENCODING',
      });
    }
    const body = multipartBody('XyZ', [
      { headers: 'Content-Disposition: form-data; name="file"; filename="a.png"', body: png },
    ]);
    const multipart = parseRawResponse(
      await rawHttp(
        server.url,
        httpRequest(
          '/predict',
          {
            'Content-Type': 'multipart/form-data; boundary=XyZ',
            'Content-Encoding': 'br',
            'Content-Length': body.length,
          },
          body,
        ),
      ),
    );
    expect({ status: multipart.status, code: multipart.body.error?.code }).toEqual({
      status: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
    });
    expect(
      (await postRaw(`${server.url}/predict`, png, { 'Content-Type': 'image/png', 'Content-Encoding': 'identity' }))
        .status,
    ).toBe(200);
  });

  test('when a file name is UTF-8 (multipart as browsers and curl send it, or a raw body), then filename comes back unchanged', async () => {
    const name = 'çifre-٣-数字.png';
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="'),
      Buffer.from(name, 'utf8'),
      Buffer.from('"\r\nContent-Type: image/png\r\n\r\n'),
      png,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const head = `POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${body.length}\r\n\r\n`;
    const multipart = await rawHttp(server.url, Buffer.concat([Buffer.from(head), body]));
    const json = (text: string) =>
      JSON.parse(Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8'));
    expect(json(multipart).filename).toBe(name);
    const rawHead = Buffer.concat([
      Buffer.from('POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\n'),
      Buffer.from(`Content-Disposition: attachment; filename="${name}"\r\n`, 'utf8'),
      Buffer.from(`Content-Length: ${png.length}\r\n\r\n`),
    ]);
    const raw = await rawHttp(server.url, Buffer.concat([rawHead, png]));
    expect(json(raw).filename).toBe(name);
  });
});
