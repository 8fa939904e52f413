/**
 * The training report in headless Chromium: a checkpoint trained by the real CLI on real MNIST digits,
 * its report rendered from the checkpoint's history and the model's test-set diagnostics, opened from
 * disk; each part is found on the page and a screenshot is kept in artifacts/report/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { selectBackend } from '@lenet/backend';
import { loadCheckpoint } from '@lenet/checkpoint';
import { examplesFromDigits, renderReport } from '@lenet/training';
// Until @lenet/training's index exports it (the loop's owner adds it), the report helper comes from its file.
import { diagnoseTestSet } from '../../../packages/training/src/report-diagnostics';
import { embedded, trainFixtureModel } from './fixtures';
import { repoPath } from '../src/repo-root';
import { findChromium } from '../../../test-support/find-chromium';

const ARTIFACTS = repoPath('artifacts', 'report');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const TEST_COUNT = 500;

let work: string;
let browser: Browser;
let reportFile: string;
let finalAccuracy: number;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-report-e2e-'));
  const { model: checkpoint } = await trainFixtureModel(work, { train: 2000, test: TEST_COUNT, epochs: 3 });
  await selectBackend('wasm');
  const { model, metadata } = await loadCheckpoint(checkpoint);
  if (metadata === null) throw new Error(`${checkpoint}: expected lenet metadata with the training history`);
  const test = examplesFromDigits(
    embedded.test.images.subarray(0, TEST_COUNT * 784),
    embedded.test.labels.subarray(0, TEST_COUNT),
  );
  finalAccuracy = metadata.history.at(-1)?.testAccuracy ?? Number.NaN;
  const html = renderReport(metadata.history, {
    title: 'LeNet training on a 2,000-digit slice of data/mnist',
    details: ['2000 training / 500 test images', 'batch 64, lr 0.025 (cosine), augment shift'],
    backend: metadata.backend,
    ...(metadata.data === null ? {} : { dataFingerprint: metadata.data.fingerprint }),
    ...diagnoseTestSet(model, test),
  });
  await mkdir(ARTIFACTS, { recursive: true });
  reportFile = path.join(ARTIFACTS, 'report.html');
  await writeFile(reportFile, html);
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
});

/** The report opened at a viewport `width` wide; `external` collects any request that is not the file itself. */
async function open(width: number): Promise<{ page: Page; external: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const external: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) external.push(request.url());
  });
  await page.goto(`file://${reportFile}`);
  return { page, external };
}

describe('report.html in Chromium', () => {
  test('when opened on a wide screen, then the summary, side-by-side charts, heat map and gallery are all there', async () => {
    const { page, external } = await open(1280);
    const summary = await page.locator('#summary').innerText();
    expect(summary).toMatch(new RegExp(`Final test accuracy\\s+${(finalAccuracy * 100).toFixed(2)}%`, 'i'));
    expect(summary).toMatch(/Best test accuracy/i);
    expect(summary).toMatch(/images\/s/);
    expect(summary).toMatch(/Backend\s+wasm/i);
    expect(summary).toMatch(/Data fingerprint\s+[0-9a-f]{12}/i);

    const loss = await page.locator('#loss-chart').boundingBox();
    const accuracy = await page.locator('#accuracy-chart').boundingBox();
    expect(loss !== null && accuracy !== null).toBe(true);
    expect(Math.abs(loss!.y - accuracy!.y)).toBeLessThan(2); // side by side
    expect(accuracy!.x).toBeGreaterThan(loss!.x + loss!.width - 1);
    expect(await page.locator('#loss-chart figcaption').innerText()).toMatch(/^Loss .*log scale/);
    expect(await page.locator('#loss-chart polyline.series').count()).toBe(2);

    const rows = page.locator('#confusion table.heatmap tbody tr');
    expect(await rows.count()).toBe(10);
    const total = await page
      .locator('#confusion td.total')
      .evaluateAll((cells) => cells.reduce((sum, cell) => sum + Number(cell.textContent), 0));
    expect(total).toBe(TEST_COUNT);
    expect(await page.locator('#confusion td.accuracy').allInnerTexts()).toEqual(
      Array.from({ length: 10 }, () => expect.stringMatching(/^\d+\.\d\d%$/)),
    );

    const images = page.locator('#wrong .digit img');
    expect(await images.count()).toBe(24);
    // No DOM lib in the tests' tsconfig: the image fields read are named here.
    type LoadedImage = { complete: boolean; naturalWidth: number; naturalHeight: number };
    const sizes = await images.evaluateAll((list) =>
      list.map((element) => {
        const img = element as unknown as LoadedImage;
        return [img.complete, img.naturalWidth, img.naturalHeight];
      }),
    );
    for (const size of sizes) expect(size).toEqual([true, 28, 28]);
    expect(await page.locator('#wrong .digit figcaption').first().innerText()).toMatch(
      /true \d\s+predicted \d\s+\d+\.\d\d%/,
    );
    expect(external).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });

  test('when opened on a narrow screen, then the charts stack', async () => {
    const { page } = await open(700);
    const loss = await page.locator('#loss-chart').boundingBox();
    const accuracy = await page.locator('#accuracy-chart').boundingBox();
    expect(accuracy!.y).toBeGreaterThanOrEqual(loss!.y + loss!.height);
    await page.close();
  });
});
