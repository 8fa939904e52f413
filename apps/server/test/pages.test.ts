import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunningServer } from '@lenet/serving';
import { findWebPage } from '@lenet/serving';
import { makeFixture, type Fixture } from './support/fixtures';
import { get, rawHttp } from './support/http';
import { startTestServer } from './support/server';

let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  server = await startTestServer(fixture.checkpoint);
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.remove();
});

describe('GET /, /docs, /openapi.json, /model/', () => {
  test('when a program asks for /, then it gets the JSON greeting pointing to /docs', async () => {
    for (const accept of ['*/*', 'application/json']) {
      const response = await get(`${server.url}/`, { Accept: accept });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ docs: '/docs' });
      expect(response.body.message).toContain('/predict');
    }
  });

  test('when a browser asks for /, then it gets the built web page, or without one a page that links to /docs', async () => {
    const response = await get(`${server.url}/`, {
      Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const web = findWebPage();
    if (web === null) expect(response.body).toContain('href="/docs"');
    else expect(response.body).toBe(await readFile(path.join(web, 'index.html'), 'utf8'));
  });

  test('when /openapi.json is fetched, then it is an OpenAPI 3.1 document of every route with the error shape', async () => {
    const spec = (await get(`${server.url}/openapi.json`)).body;
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/predict',
        '/predict/batch',
        '/',
        '/healthz',
        '/readyz',
        '/metrics',
        '/docs',
        '/openapi.json',
        '/model/{file}',
      ]),
    );
    expect(spec.paths['/predict'].post.requestBody.content['multipart/form-data'].schema.properties.file.format).toBe(
      'binary',
    );
    expect(spec.components.schemas.Prediction.required).toEqual(
      expect.arrayContaining(['filename', 'contenttype', 'likely_class', 'probabilities', 'confidence']),
    );
    expect(spec.components.schemas.ErrorBody.properties.code.enum).toEqual(
      expect.arrayContaining(['MISSING_FILE', 'UNSUPPORTED_MEDIA_TYPE', 'OVERLOADED']),
    );
  });

  test('when /docs is opened, then it is Swagger UI over /openapi.json, every file served from here under a script-src self CSP', async () => {
    const response = await get(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = response.body as string;
    expect(html).toContain('<div id="swagger-ui"></div>');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    for (const asset of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) {
      const file = await fetch(`${server.url}/docs/${asset[1]}`);
      expect({ asset: asset[1], status: file.status }).toEqual({ asset: asset[1], status: 200 });
    }
    const init = await get(`${server.url}/docs/swagger-ui-init.js`);
    expect(init.body).toContain('"swaggerUrl": "/openapi.json"');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    // Only what the page loads: not swagger-ui-dist's demo index.html pointing at the petstore.
    expect((await get(`${server.url}/docs/index.html`)).status).toBe(404);
    expect((await get(`${server.url}/docs/package.json`)).status).toBe(404);
  });

  test('when /model/model.json and its weight files are fetched, then they are the checkpoint bytes', async () => {
    const onDisk = await readFile(path.join(fixture.checkpoint, 'model.json'));
    const modelJson = await fetch(`${server.url}/model/model.json`);
    expect(modelJson.status).toBe(200);
    expect(Buffer.from(await modelJson.arrayBuffer()).equals(onDisk)).toBe(true);
    const manifest = JSON.parse(onDisk.toString('utf8')).weightsManifest as Array<{ paths: string[] }>;
    for (const name of manifest.flatMap((group) => group.paths)) {
      const weights = await fetch(`${server.url}/model/${name}`);
      expect(weights.status).toBe(200);
      expect(Buffer.from(await weights.arrayBuffer()).equals(await readFile(path.join(fixture.checkpoint, name)))).toBe(
        true,
      );
    }
  });

  test('when anything else under /model/ is asked for (other files, traversal, listing), then 404 NOT_FOUND', async () => {
    for (const url of [
      '/model/',
      '/model/optimizer.bin',
      '/model/..%2F..%2Fetc%2Fpasswd',
      '/model/%2e%2e%2fmodel.json',
    ]) {
      const response = await get(`${server.url}${url}`);
      expect({ url, status: response.status, code: response.body.error?.code }).toEqual({
        url,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    const raw = await rawHttp(
      server.url,
      'GET /model/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 404/);
    expect(raw).not.toContain('root:');
  });

  test('when an unknown route is asked for, then 404 in the error shape', async () => {
    const response = await get(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});
