import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildPage } from './build-page';

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'lenet-web-build-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('buildPage', () => {
  test('when building, then dist holds the page, its script, style and the lazy TensorFlow.js chunk, and the report counts their bytes', async () => {
    const report = await buildPage({ outDir });
    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="app.css">');
    expect(report.files['app.js']).toBe((await stat(path.join(outDir, 'app.js'))).size);
    expect(report.css_bytes).toBe((await stat(path.join(outDir, 'app.css'))).size);
    // The first load stays small; TensorFlow.js comes only with in-browser mode.
    expect(report.js_bytes.initial).toBeLessThan(60_000);
    expect(report.js_bytes.lazy).toBeGreaterThan(200_000);
    expect(report.js_bytes.total).toBe(
      Object.entries(report.files)
        .filter(([name]) => name.endsWith('.js'))
        .reduce((sum, [, bytes]) => sum + bytes, 0),
    );
    expect(JSON.parse(await readFile(path.join(outDir, 'build-report.json'), 'utf8'))).toEqual(report);
  });

  test('when building, then the initial script holds no TensorFlow.js and no Node-only code', async () => {
    await buildPage({ outDir });
    const app = await readFile(path.join(outDir, 'app.js'), 'utf8');
    expect(app).not.toMatch(/tfjs|jimp|node:/i);
    expect(app).toMatch(/import\("\.\/chunks\/browser-model-[A-Z0-9]+\.js"\)/);
  });

  test('when a page imports TensorFlow.js statically, then the build fails with WEB_FORBIDDEN_INPUT naming the initial script', async () => {
    const srcDir = await mkdtemp(path.join(tmpdir(), 'lenet-web-src-'));
    try {
      // esbuild resolves packages from the importing file's folder upwards: lend it the workspace's.
      await symlink(path.resolve(__dirname, '../../../node_modules'), path.join(srcDir, 'node_modules'));
      await writeFile(
        path.join(srcDir, 'main.ts'),
        "import { version_core } from '@tensorflow/tfjs-core';\nconsole.log(version_core);\n",
      );
      for (const file of ['app.css', 'index.html', 'favicon.svg']) await writeFile(path.join(srcDir, file), '');
      await expect(buildPage({ srcDir, outDir, minify: false })).rejects.toMatchObject({
        code: 'WEB_FORBIDDEN_INPUT',
        message: expect.stringMatching(/node_modules\/@tensorflow\/tfjs-core\/.* in the initial script app\.js/),
      });
    } finally {
      await rm(srcDir, { recursive: true, force: true });
    }
  });
});
