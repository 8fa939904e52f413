/**
 * Builds the page into `dist/`: `index.html`, `app.js` (ES module), `app.css`, `favicon.svg`, and
 * the TensorFlow.js chunk that `app.js` imports only when in-browser mode is chosen. Reports the
 * bytes the browser downloads.
 */
import { build, type Metafile } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WebBuildError } from './errors';
import { type BuildReport, initialScripts, measureOutputs } from './build-report';

/** Options of {@link buildPage}. */
export interface BuildPageOptions {
  /** Folder holding `main.ts`, `app.css`, `index.html`; default the package's `src/`. */
  srcDir?: string;
  /** Folder to (re)create; default the package's `dist/`, which the server serves. */
  outDir?: string;
  /** Minify JS and CSS; default `true`. */
  minify?: boolean;
}

const PACKAGE_DIR = path.resolve(__dirname, '..');
/** Copied as they are. */
const STATIC_FILES = ['index.html', 'favicon.svg'];
/**
 * Sources that must never reach the browser: jimp, sharp and the Node side of `@lenet/image`. The
 * page imports `@lenet/image/browser` and `@lenet/digit`, which pull in none of them; this guard
 * catches an import of the wrong entry.
 */
const NODE_ONLY_INPUTS = [
  /node_modules\/(jimp|@jimp|sharp|@img)\//,
  /packages\/image\/(src|dist)\/(decode-image|decoders?|select-decoder|preprocess|index)\.(ts|js)$/,
];
/** TensorFlow.js belongs in the lazy chunk only: the first load stays small. */
const LAZY_ONLY_INPUTS = /node_modules\/@tensorflow\//;

/** Inputs that break the rules above, as messages; empty when the bundle is clean. */
function misplacedInputs(outDir: string, metafile: Metafile): string[] {
  const found = Object.keys(metafile.inputs).filter((input) => NODE_ONLY_INPUTS.some((p) => p.test(input)));
  const initial = initialScripts(outDir, metafile);
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    const name = path.relative(outDir, path.resolve(output)).split(path.sep).join('/');
    if (!initial.has(name)) continue;
    const tfjs = Object.keys(meta.inputs).filter((input) => LAZY_ONLY_INPUTS.test(input));
    if (tfjs.length > 0) found.push(`${tfjs[0]} (and ${tfjs.length - 1} more) in the initial script ${name}`);
  }
  return found;
}

/**
 * Builds the page and writes `build-report.json` next to it.
 *
 * @throws WebBuildError (`WEB_BUILD_FAILED`, `WEB_FORBIDDEN_INPUT`) when esbuild fails or Node-only
 *   code was pulled into the bundle
 * @example
 * const report = await buildPage();
 * report.js_bytes; // { initial: 21000, lazy: 590000, total: 611000 }
 */
export async function buildPage(options: BuildPageOptions = {}): Promise<BuildReport> {
  const srcDir = options.srcDir ?? path.join(PACKAGE_DIR, 'src');
  const outDir = options.outDir ?? path.join(PACKAGE_DIR, 'dist');
  const started = performance.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  let metafile: Metafile;
  try {
    ({ metafile } = await build({
      entryPoints: [
        { in: path.join(srcDir, 'main.ts'), out: 'app' },
        { in: path.join(srcDir, 'app.css'), out: 'app' },
      ],
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: ['chrome100', 'firefox100', 'safari15'],
      chunkNames: 'chunks/[name]-[hash]',
      minify: options.minify ?? true,
      sourcemap: 'linked',
      legalComments: 'external',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'silent',
    }));
  } catch (error) {
    throw new WebBuildError(
      'WEB_BUILD_FAILED',
      `esbuild could not bundle ${srcDir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const forbidden = misplacedInputs(outDir, metafile);
  if (forbidden.length > 0) {
    throw new WebBuildError(
      'WEB_FORBIDDEN_INPUT',
      `${srcDir}: expected only browser code in the bundle and no TensorFlow.js in the initial script, found ${forbidden.join(', ')}`,
    );
  }
  for (const file of STATIC_FILES) await copyFile(path.join(srcDir, file), path.join(outDir, file));
  const report = await measureOutputs(outDir, metafile, performance.now() - started);
  await writeFile(path.join(outDir, 'build-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
