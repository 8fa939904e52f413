import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import express, { Router } from 'express';
import { docsRoutes } from '../http/docs-page';
import type { OpenApiSpec } from '../http/openapi';
import { POINTER_PAGE_CSP, pageCsp } from '../http/security-headers';

/** The tutorial's greeting, so its clients and habits keep working. */
export const GREETING = {
  message: 'LeNet digit classifier: POST an image to /predict (multipart field "file"); try it at /docs',
  docs: '/docs',
};

const POINTER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LeNet digit classifier</title></head>
<body style="font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto">
<h1>LeNet digit classifier</h1>
<p>Upload a picture of a handwritten digit on the <a href="/docs">interactive API page</a>,
or send one with <code>curl -F file=@digit.png http://HOST/predict</code>.</p>
</body></html>`;

/**
 * The built web page of `@lenet/web` (`dist/index.html`), or null when that package is not installed
 * or not built. Looked up once at start.
 *
 * @example
 * findWebPage(); // '/work/main/apps/web/dist' or null
 */
export function findWebPage(): string | null {
  try {
    const root = path.dirname(require.resolve('@lenet/web/package.json'));
    const dist = path.join(root, 'dist');
    return existsSync(path.join(dist, 'index.html')) ? dist : null;
  } catch {
    return null;
  }
}

/**
 * `GET /` (web page for browsers, JSON greeting otherwise), `GET /docs` (Swagger UI) and `GET /openapi.json`,
 * plus the web page's own assets when it is built.
 *
 * @example
 * app.use(infoRoutes(spec, findWebPage()));
 * // GET / with Accept: application/json -> { message: 'LeNet digit classifier: ...', docs: '/docs' }
 */
export function infoRoutes(spec: OpenApiSpec, webDist: string | null): Router {
  const router = Router();
  const specJson = JSON.stringify(spec);
  // The page's own <meta> policy, repeated as a header with frame-ancestors (which meta cannot carry).
  const webPage = webDist === null ? null : path.join(webDist, 'index.html');
  const webCsp = webPage === null ? POINTER_PAGE_CSP : pageCsp(readFileSync(webPage, 'utf8'));

  router.get('/', (req, res) => {
    if (req.accepts(['json', 'html']) !== 'html') {
      res.json(GREETING);
      return;
    }
    res.setHeader('Content-Security-Policy', webCsp);
    if (webPage !== null) {
      res.sendFile(webPage);
      return;
    }
    res.type('html').send(POINTER_PAGE.replace('HOST', req.get('host') ?? 'localhost:8000'));
  });

  router.get('/openapi.json', (_req, res) => {
    res.type('json').send(specJson);
  });

  router.use(docsRoutes('/openapi.json'));

  // The web page's scripts and styles; after the API routes, so it can never shadow them.
  if (webDist !== null)
    router.use(
      express.static(webDist, {
        index: false,
        redirect: false,
        dotfiles: 'ignore',
        // A script's policy governs any worker it starts: the page's own policy, not the JSON one.
        setHeaders: (res) => res.setHeader('Content-Security-Policy', webCsp),
      }),
    );
  return router;
}
