import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ChromiumNotFoundError, findChromium } from './find-chromium';

let dir: string;

/** A real executable file at `file` (a shell script: the finder only checks that it can run). */
async function executable(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-find-chromium-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findChromium', () => {
  test('when CHROMIUM_PATH names an executable, then it wins over everything else', async () => {
    const chosen = await executable(path.join(dir, 'my', 'chrome'));
    const system = await executable(path.join(dir, 'usr', 'chromium'));
    expect(findChromium({ env: { CHROMIUM_PATH: chosen }, systemPaths: [system], home: dir })).toBe(chosen);
  });

  test('when CHROMIUM_PATH names nothing runnable, then it fails at once naming it', () => {
    const missing = path.join(dir, 'nope');
    expect(() => findChromium({ env: { CHROMIUM_PATH: missing }, home: dir })).toThrow(
      new ChromiumNotFoundError(`CHROMIUM_PATH: expected an executable Chromium, found nothing runnable at ${missing}`),
    );
  });

  test('when the system path exists, then it comes before PATH and the Playwright cache', async () => {
    const system = await executable(path.join(dir, 'usr', 'chromium'));
    await executable(path.join(dir, 'bin', 'chromium-browser'));
    const env = { PATH: path.join(dir, 'bin') };
    expect(findChromium({ env, systemPaths: [system], home: dir })).toBe(system);
  });

  test('when only google-chrome is on PATH, then it is found there', async () => {
    const chrome = await executable(path.join(dir, 'bin', 'google-chrome'));
    const env = { PATH: ['/nonexistent', path.join(dir, 'bin')].join(path.delimiter) };
    expect(findChromium({ env, systemPaths: [path.join(dir, 'none')], home: dir })).toBe(chrome);
  });

  test('when only Playwright has downloaded Chromium, then the newest build in its cache is used', async () => {
    await executable(path.join(dir, '.cache/ms-playwright/chromium-1100/chrome-linux/chrome'));
    const newest = await executable(path.join(dir, '.cache/ms-playwright/chromium-1200/chrome-linux/chrome'));
    expect(findChromium({ env: { PATH: '' }, systemPaths: [], home: dir })).toBe(newest);
  });

  test('when there is no Chromium anywhere, then one message names every option and how to install one', () => {
    expect(() => findChromium({ env: { PATH: '' }, systemPaths: ['/nonexistent/chromium'], home: dir })).toThrow(
      /^the browser tests need Chromium: expected CHROMIUM_PATH, \/nonexistent\/chromium, chromium-browser or google-chrome on PATH, or .*ms-playwright\/chromium-\*\/chrome-linux\/chrome, found none\. Install one with `apt-get install chromium` or `npx playwright install chromium`, or set CHROMIUM_PATH$/,
    );
  });
});
