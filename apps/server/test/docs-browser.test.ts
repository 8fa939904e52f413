/**
 * `/docs` in a real browser: headless Debian Chromium (playwright-core) opens Swagger UI on the real
 * server and uses "Try it out" to upload a digit, as a FastAPI user would.
 */
import type { RunningServer } from '@lenet/serving';
import { type Browser, chromium, type Page } from 'playwright-core';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { startTestServer } from './support/server';
import { findChromium } from '../../../test-support/find-chromium';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  server = await startTestServer(fixture.checkpoint);
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fixture?.remove();
});

/** Opens /docs, recording console errors (CSP refusals among them) and every URL the page asked for. */
async function openDocs(): Promise<{ page: Page; problems: string[]; requested: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requested: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.text().includes('Content Security Policy')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${server.url}/docs`);
  await page.locator('#operations-default-predict').waitFor({ timeout: 30_000 });
  return { page, problems, requested };
}

/** Expands an operation, presses "Try it out", attaches the files and presses "Execute". */
async function tryItOut(page: Page, operationId: string, files: Array<{ name: string; buffer: Buffer }>) {
  const operation = page.locator(`#operations-default-${operationId}`);
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  if (files.length > 1) {
    for (let i = 1; i < files.length; i += 1) await operation.getByRole('button', { name: 'Add string item' }).click();
  }
  const inputs = operation.locator('input[type=file]');
  for (let i = 0; i < files.length; i += 1)
    await inputs.nth(i).setInputFiles({ name: files[i]!.name, mimeType: 'image/png', buffer: files[i]!.buffer });
  await operation.getByRole('button', { name: 'Execute' }).click();
  return operation.locator('.live-responses-table .response');
}

describe('GET /docs in Chromium', () => {
  test('when a digit PNG is sent through "Try it out" on POST /predict, then the response panel shows 200 and likely_class', async () => {
    const { page, problems, requested } = await openDocs();
    const png = await digitPng(fixture.digits.image(0));
    const response = await tryItOut(page, 'predict', [{ name: 'digit.png', buffer: png }]);
    await response.locator('.response-col_status').filter({ hasText: '200' }).waitFor({ timeout: 30_000 });
    const body = await response.locator('.response-col_description').innerText();
    expect(body).toContain('"likely_class"');
    expect(body).toContain('"filename": "digit.png"');
    expect(problems).toEqual([]);
    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  test('when two digits are sent through "Try it out" on POST /predict/batch, then the response panel shows one result each', async () => {
    const { page, problems } = await openDocs();
    const files = await Promise.all(
      [0, 1].map(async (i) => ({ name: `digit-${i}.png`, buffer: await digitPng(fixture.digits.image(i)) })),
    );
    const response = await tryItOut(page, 'predictBatch', files);
    await response.locator('.response-col_status').filter({ hasText: '200' }).waitFor({ timeout: 30_000 });
    const body = await response.locator('.response-col_description').innerText();
    expect(body.match(/"likely_class"/g)).toHaveLength(2);
    expect(problems).toEqual([]);
    await page.close();
  });
});
