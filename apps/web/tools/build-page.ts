/**
 * Builds the page into `dist/`: `index.html`, `app.js` (ES module), `app.css`, `favicon.svg`, and
 * the TensorFlow.js chunk that `app.js` imports only when in-browser mode is chosen. Reports the
 * bytes the browser downloads.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WebBuildError } from './errors';
import { type BuildReport, measureOutputs } from './build-report';

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
 * Sources that must never reach the browser: jimp and its Node decoders, the Node side of
 * `@lenet/image`, and `@lenet/model`'s index (which imports all of TensorFlow.js).
 */
const FORBIDDEN_INPUTS = [
  /node_modules\/(jimp|@jimp)\//,
  /packages\/image\/src\/(decode-image|preprocess|index)\.ts$/,
  /packages\/model\/src\/(index|lenet)\.ts$/,
];

/**
 * The page needs two tfjs-free corners of the workspace: `@lenet/image/src/browser` (resolved as a
 * normal path) and `@lenet/model`'s `model-input.ts`, which the image code imports as `@lenet/model`.
 */
function browserAliases(): Plugin {
  const modelInput = path.join(path.dirname(require.resolve('@lenet/model/package.json')), 'src', 'model-input.ts');
  return {
    name: 'lenet-browser-aliases',
    setup(context) {
      context.onResolve({ filter: /^@lenet\/model$/ }, () => ({ path: modelInput }));
    },
  };
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
      plugins: [browserAliases()],
    }));
  } catch (error) {
    throw new WebBuildError(
      'WEB_BUILD_FAILED',
      `esbuild could not bundle ${srcDir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const forbidden = Object.keys(metafile.inputs).filter((input) =>
    FORBIDDEN_INPUTS.some((pattern) => pattern.test(input)),
  );
  if (forbidden.length > 0) {
    throw new WebBuildError(
      'WEB_FORBIDDEN_INPUT',
      `${srcDir}: expected only browser code in the bundle, found ${forbidden.join(', ')}`,
    );
  }
  for (const file of STATIC_FILES) await copyFile(path.join(srcDir, file), path.join(outDir, file));
  const report = await measureOutputs(outDir, metafile, performance.now() - started);
  await writeFile(path.join(outDir, 'build-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
