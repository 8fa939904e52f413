/**
 * `node bin/build-web.js`: builds the page into `dist/` and prints the build report as one JSON
 * line; on failure prints one line to stderr and exits 1.
 */
import { buildPage } from './build-page';

/**
 * @example
 * await main(); // stdout: {"event":"web-build","files":{...},"js_bytes":{"initial":...},...}
 */
export async function main(): Promise<void> {
  try {
    const report = await buildPage();
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    process.stderr.write(`web build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
