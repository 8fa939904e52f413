/**
 * `node bin/build-web.js [--json]`: builds the page into `dist/` and prints one human line (or, with
 * `--json`, the build report as one JSON line; it is always written to `dist/build-report.json`). On
 * failure prints one line to stderr and exits 1.
 */
import * as path from 'node:path';
import { buildPage } from './build-page';
import type { BuildReport } from './build-report';

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The one line `npm run build` shows for the page.
 *
 * @example
 * summaryLine(report, 'apps/web/dist');
 * // 'web page built in apps/web/dist: JS 37.9 kB at first load + 545.4 kB for in-browser mode, CSS 4.6 kB (0.6 s)'
 */
export function summaryLine(report: BuildReport, outDir: string): string {
  return `web page built in ${outDir}: JS ${kB(report.js_bytes.initial)} at first load + ${kB(report.js_bytes.lazy)} for in-browser mode, CSS ${kB(report.css_bytes)} (${(report.ms / 1000).toFixed(1)} s)`;
}

/**
 * @example
 * await main(['--json']); // stdout: {"event":"web-build","files":{...},"js_bytes":{"initial":...},...}
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    const report = await buildPage();
    // Named from the repository root, wherever npm runs this from.
    const outDir = path.relative(path.resolve(__dirname, '../../..'), path.resolve(__dirname, '..', 'dist'));
    process.stdout.write(`${argv.includes('--json') ? JSON.stringify(report) : summaryLine(report, outDir)}\n`);
  } catch (error) {
    process.stderr.write(`web build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
