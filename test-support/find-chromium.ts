/**
 * Finds a Chromium for the browser tests, in the order a developer's or CI machine is likely to have
 * one: `CHROMIUM_PATH`, Debian's `/usr/bin/chromium`, `chromium-browser` or `google-chrome` on the
 * PATH, then Playwright's own download cache. With none, one message says how to get one.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** Codes of {@link ChromiumNotFoundError}. */
export const CHROMIUM_ERROR_CODES = ['CHROMIUM_NOT_FOUND'] as const;

/** No Chromium anywhere we look; the message names every place and how to fill one. */
export class ChromiumNotFoundError extends Error {
  readonly code: (typeof CHROMIUM_ERROR_CODES)[number] = 'CHROMIUM_NOT_FOUND';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumNotFoundError';
  }
}

/** Where to look; each defaults to this machine's own. */
export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  /** Fixed paths tried after `CHROMIUM_PATH`; default `['/usr/bin/chromium']`. */
  systemPaths?: readonly string[];
  /** Home folder holding `.cache/ms-playwright`; default `os.homedir()`. */
  home?: string;
}

const PATH_NAMES = ['chromium-browser', 'google-chrome'];
/** Playwright's cache layout: `chromium-<build>/chrome-linux/chrome` (`chrome-linux64` in newer builds). */
const PLAYWRIGHT_BINARIES = ['chrome-linux/chrome', 'chrome-linux64/chrome'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const name of PATH_NAMES) {
    const found = dirs.map((dir) => path.join(dir, name)).find(isExecutable);
    if (found !== undefined) return found;
  }
  return undefined;
}

function inPlaywrightCache(home: string): string | undefined {
  const cache = path.join(home, '.cache', 'ms-playwright');
  let builds: string[];
  try {
    builds = readdirSync(cache).filter((name) => /^chromium-\d+$/.test(name));
  } catch {
    return undefined;
  }
  // Newest build first: the numbers grow with each Playwright release.
  builds.sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
  for (const build of builds) {
    const found = PLAYWRIGHT_BINARIES.map((binary) => path.join(cache, build, binary)).find(isExecutable);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The Chromium executable to launch with playwright-core.
 *
 * @throws ChromiumNotFoundError (`CHROMIUM_NOT_FOUND`) when `CHROMIUM_PATH` names no executable, or
 *   nothing is found anywhere
 * @example
 * chromium.launch({ executablePath: findChromium() }); // '/usr/bin/chromium' on Debian
 */
export function findChromium(options: FindChromiumOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = env.CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH: expected an executable Chromium, found nothing runnable at ${explicit}`,
    );
  }
  const systemPaths = options.systemPaths ?? ['/usr/bin/chromium'];
  const home = options.home ?? homedir();
  const found = systemPaths.find(isExecutable) ?? onPath(env) ?? inPlaywrightCache(home);
  if (found !== undefined) return found;
  throw new ChromiumNotFoundError(
    `the browser tests need Chromium: expected CHROMIUM_PATH, ${systemPaths.join(', ')}, ${PATH_NAMES.join(' or ')} on PATH, or ${path.join(home, '.cache/ms-playwright/chromium-*/chrome-linux/chrome')}, found none. Install one with \`apt-get install chromium\` or \`npx playwright install chromium\`, or set CHROMIUM_PATH`,
  );
}
