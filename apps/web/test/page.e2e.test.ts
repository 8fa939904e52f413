/**
 * The page end to end: the real build, a checkpoint trained by the real CLI, the real server in a
 * child process, and headless Debian Chromium driven by playwright-core.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildPage } from '../tools/build-page';
import { digitAsPng, drawDigit } from './draw-digit';
import { findChromium } from '../../../test-support/find-chromium';
import { startServer, type RunningServer } from './start-server';
import { trainCheckpoint, type TestDigits } from './train-checkpoint';

const ARTIFACTS = path.resolve(__dirname, '..', '..', '..', 'artifacts', 'web');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

interface ChosenDigit {
  index: number;
  label: number;
  digit: Uint8Array;
}

/** A page under test and what it did. */
interface OpenPage {
  page: Page;
  consoleErrors: string[];
  requests: string[];
}

let work: string;
let server: RunningServer;
let browser: Browser;
let digits: ChosenDigit[];
let weightsHash: string;

/**
 * Asks the server directly, as `curl -F file=@...` would: no page involved. A fresh connection per
 * call (`agent: false`): a pooled keep-alive socket left idle while the browser tests ran can be
 * closed by the server just as it is reused.
 */
async function postToServer(
  bytes: Buffer,
  name: string,
  type: string,
): Promise<{ status: number; body: Record<string, any> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${server.url}/predict`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': encoded.headers.get('content-type') ?? '', 'Content-Length': payload.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Test digits of three different classes that the server gets right with high confidence when fed as they are. */
async function chooseDigits(test: TestDigits): Promise<ChosenDigit[]> {
  const chosen: ChosenDigit[] = [];
  for (let index = 0; index < test.count && chosen.length < 3; index += 1) {
    const label = test.labels[index]!;
    if (chosen.some((each) => each.label === label)) continue;
    const digit = test.images.slice(index * 784, (index + 1) * 784);
    const { status, body } = await postToServer(await digitAsPng(digit, 1, 0), `test-${index}.png`, 'image/png');
    weightsHash = body.model?.weights_hash;
    if (status === 200 && body.likely_class === label && body.confidence > 0.98) chosen.push({ index, label, digit });
  }
  if (chosen.length < 3)
    throw new Error(`expected 3 confidently classified test digits among ${test.count}, found ${chosen.length}`);
  return chosen;
}

async function openPage(viewport = { width: 1200, height: 900 }): Promise<OpenPage> {
  const page = await browser.newPage({ viewport });
  const opened: OpenPage = { page, consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => opened.requests.push(request.url()));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('#mode-status').filter({ hasText: /\S/ }).waitFor();
  return opened;
}

/** What the result panel shows once every pending prediction is done. */
async function settledResult(page: Page): Promise<{ answer: string; latency: string; model: string }> {
  await page.waitForFunction(() => document.querySelector('#result')?.getAttribute('aria-busy') === 'false');
  const text = (selector: string) => page.locator(selector).innerText();
  return { answer: await text('#answer'), latency: await text('#latency'), model: await text('#model-info') };
}

async function drawAndRead(page: Page, digit: Uint8Array) {
  await page.getByRole('button', { name: 'Clear' }).click();
  await drawDigit(page, page.locator('#pad'), digit);
  return settledResult(page);
}

/** Every request went to the server that served the page (blob: URLs of picked files included). */
function expectOnlyServerRequests(requests: string[]): void {
  const origin = new URL(server.url).origin;
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
}

beforeAll(async () => {
  // First, so a machine without Chromium hears how to get one before a minute of building and training.
  const executablePath = findChromium();
  work = await mkdtemp(path.join(tmpdir(), 'lenet-web-e2e-'));
  await mkdir(ARTIFACTS, { recursive: true });
  // The server serves apps/web/dist: build it from the current sources first.
  await buildPage();
  const { checkpoint, test } = await trainCheckpoint(work);
  server = await startServer(checkpoint);
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  digits = await chooseDigits(test);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('the page at /', () => {
  test('when it loads, then it shows the labelled controls and an empty answer, with no console errors', async () => {
    const { page, consoleErrors, requests } = await openPage();
    expect(await page.title()).toMatch(/lenet/);
    await expect(page.getByRole('radio', { name: /on the server/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: /in this browser/ }).isChecked()).resolves.toBe(false);
    await expect(page.getByRole('radio', { name: 'black on white' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Choose an image…').count()).resolves.toBe(1);
    expect((await settledResult(page)).answer).toBe('–');
    expect(consoleErrors).toEqual([]);
    // The TensorFlow.js chunk is not fetched until in-browser mode is chosen.
    expect(requests.filter((url) => url.includes('browser-model'))).toEqual([]);
    expectOnlyServerRequests(requests);
    await page.close();
  });

  test('when test digits are drawn as strokes and the server answers, then each gets its label', async () => {
    const { page, consoleErrors, requests } = await openPage();
    for (const { label, digit } of digits) {
      const result = await drawAndRead(page, digit);
      expect(result.answer).toBe(String(label));
      expect(result.latency).toMatch(/^server [\d.]+ ms, round trip [\d.]+ ms$/);
      expect(result.model).toContain(`weights ${weightsHash}`);
    }
    expect(requests.filter((url) => url.endsWith('/predict')).length).toBeGreaterThanOrEqual(digits.length);
    // The same drawing in black ink on white paper: repainted, sent again, same answer.
    await page.getByRole('radio', { name: 'black on white' }).check();
    expect((await settledResult(page)).answer).toBe(String(digits[digits.length - 1]!.label));
    const corner = await page
      .locator('#pad')
      .evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data));
    expect(corner).toEqual([255, 255, 255, 255]);
    expect(consoleErrors).toEqual([]);
    expectOnlyServerRequests(requests);
    await page.close();
  });

  test('when in-browser mode is chosen with the keyboard, then TensorFlow.js runs the served checkpoint and drawn digits get their labels', async () => {
    const { page, consoleErrors, requests } = await openPage({ width: 390, height: 844 });
    await page.getByRole('radio', { name: /on the server/ }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: /in this browser/ }).isChecked()).resolves.toBe(true);
    await page.locator('#mode-status').filter({ hasText: 'In-browser model ready' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#mode-status').innerText()).toContain(
      `cpu backend) loaded the served checkpoint (epoch 3, weights ${weightsHash})`,
    );
    const predictCalls = () => requests.filter((url) => url.endsWith('/predict')).length;
    const before = predictCalls();
    for (const { label, digit } of digits) {
      const result = await drawAndRead(page, digit);
      expect(result.answer).toBe(String(label));
      expect(result.latency).toMatch(/^in this browser [\d.]+ ms, with preprocessing [\d.]+ ms$/);
      expect(result.model).toBe(`this browser: epoch 3, weights ${weightsHash}`);
    }
    expect(predictCalls()).toBe(before);
    expect(requests.some((url) => url.endsWith('/model/model.json'))).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-phone-in-browser.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expectOnlyServerRequests(requests);
    await page.close();
  });

  test('when scan-like PNGs of test digits are picked or dropped, then the cropped 28x28 preview and the answer appear, from the server and in the browser', async () => {
    const { page, consoleErrors, requests } = await openPage();
    const inkInPreview = () =>
      page.locator('#saw').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, 28, 28);
        let bright = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 128) bright += 1;
        return bright;
      });

    const picked = digits[0]!;
    await page.locator('#file').setInputFiles({
      name: `scan-${picked.index}.png`,
      mimeType: 'image/png',
      buffer: await digitAsPng(picked.digit),
    });
    const fromServer = await settledResult(page);
    expect(fromServer.answer).toBe(String(picked.label));
    expect(fromServer.latency).toMatch(/^server /);
    await expect(page.locator('#file-name').innerText()).resolves.toMatch(
      new RegExp(`^scan-${picked.index}\\.png \\([\\d.]+ kB\\)$`),
    );
    expect(await inkInPreview()).toBeGreaterThan(40); // an MNIST digit lights up about 100-150 of 784 pixels
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-desktop-upload.png'), fullPage: true });

    await page.getByRole('radio', { name: /in this browser/ }).check();
    await page.locator('#mode-status').filter({ hasText: 'In-browser model ready' }).waitFor({ timeout: 60_000 });
    const dropped = digits[1]!;
    const png = await digitAsPng(dropped.digit);
    const dataTransfer = await page.evaluateHandle(
      ({ bytes, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
        return transfer;
      },
      { bytes: Array.from(png), name: `scan-${dropped.index}.png` },
    );
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await page
      .locator('#file-name')
      .filter({ hasText: `scan-${dropped.index}.png` })
      .waitFor();
    const inBrowser = await settledResult(page);
    expect(inBrowser.answer).toBe(String(dropped.label));
    expect(inBrowser.latency).toMatch(/^in this browser /);
    expect(await inkInPreview()).toBeGreaterThan(40);
    expect(consoleErrors).toEqual([]);
    expectOnlyServerRequests(requests);
    await page.close();
  });

  test("when a text file named .png is uploaded, then the alert shows the server's own error message", async () => {
    const bytes = Buffer.from('these are notes, not a picture of a digit\n');
    const direct = await postToServer(bytes, 'notes.png', 'image/png');
    expect(direct.status).toBeGreaterThanOrEqual(400);
    const message: string = direct.body.error.message;
    const { page, consoleErrors, requests } = await openPage();
    await page.locator('#file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: bytes });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await settledResult(page);
    expect(await alert.innerText()).toContain(message);
    expect(await alert.innerText()).toContain(`${direct.status} ${direct.body.error.code}`);
    expect(await page.locator('#answer').innerText()).toBe('–');
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-desktop-error.png'), fullPage: true });
    // The only console error is Chromium's own note about the 4xx response.
    expect(consoleErrors.filter((text) => !text.includes(`status of ${direct.status}`))).toEqual([]);
    expectOnlyServerRequests(requests);
    await page.close();
  });
});
