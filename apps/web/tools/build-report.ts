/** The bytes a browser downloads for the page, split into what loads at once and what loads later. */
import type { Metafile } from 'esbuild';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** What `npm run build -w @lenet/web` prints as one JSON line and writes to `dist/build-report.json`. */
export interface BuildReport {
  event: 'web-build';
  /** Every file a browser may fetch (no source maps, no licence texts), path relative to `dist/` -> bytes. */
  files: Record<string, number>;
  /** `initial`: `app.js` and what it imports statically; `lazy`: the TensorFlow.js chunk(s), fetched in in-browser mode only. */
  js_bytes: { initial: number; lazy: number; total: number };
  css_bytes: number;
  html_bytes: number;
  /** The same, gzip level 9, for comparison with what a compressing proxy would send. */
  gzip_bytes: { initial_js: number; lazy_js: number; css: number; html: number };
  ms: number;
}

const SERVED = /\.(js|css|html|svg)$/;

/**
 * Measures the files in `outDir` and sorts the JS into initial and lazy with esbuild's metafile.
 *
 * @example
 * await measureOutputs('apps/web/dist', metafile, 812);
 * // { event: 'web-build', files: { 'app.js': 20544, ... }, js_bytes: { initial: 20544, lazy: 589311, total: 609855 }, ... }
 */
export async function measureOutputs(outDir: string, metafile: Metafile, ms: number): Promise<BuildReport> {
  const initial = initialScripts(outDir, metafile);
  const files: Record<string, number> = {};
  const totals = { initial: 0, lazy: 0, css: 0, html: 0 };
  const gzip = { initial_js: 0, lazy_js: 0, css: 0, html: 0 };
  for (const file of (await listFiles(outDir)).filter((name) => SERVED.test(name)).sort()) {
    const bytes = await readFile(path.join(outDir, file));
    const gz = gzipSync(bytes, { level: 9 }).length;
    files[file] = bytes.length;
    if (file.endsWith('.js')) {
      const kind = initial.has(file) ? 'initial' : 'lazy';
      totals[kind] += bytes.length;
      gzip[`${kind}_js`] += gz;
    } else if (file.endsWith('.css')) {
      totals.css += bytes.length;
      gzip.css += gz;
    } else if (file.endsWith('.html')) {
      totals.html += bytes.length;
      gzip.html += gz;
    }
  }
  return {
    event: 'web-build',
    files,
    js_bytes: { initial: totals.initial, lazy: totals.lazy, total: totals.initial + totals.lazy },
    css_bytes: totals.css,
    html_bytes: totals.html,
    gzip_bytes: gzip,
    ms: Math.round(ms),
  };
}

/**
 * `app.js` and every chunk reachable from it through static imports, relative to `outDir`: what the
 * browser loads before the page can run.
 *
 * @example
 * initialScripts('apps/web/dist', metafile); // Set { 'app.js', 'chunks/chunk-HNBILM3W.js' }
 */
export function initialScripts(outDir: string, metafile: Metafile): Set<string> {
  const relative = (output: string) => path.relative(outDir, path.resolve(output)).split(path.sep).join('/');
  const byName = new Map(Object.entries(metafile.outputs).map(([output, meta]) => [relative(output), meta]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imported of byName.get(name)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(relative(imported.path));
    }
  };
  visit('app.js');
  return seen;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? listFiles(dir, path.join(prefix, entry.name))
        : [path.join(prefix, entry.name).split(path.sep).join('/')],
    ),
  );
  return nested.flat();
}
