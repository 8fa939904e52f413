import { type RequestHandler, Router } from 'express';
import { serveFiles, setup } from 'swagger-ui-express';
import { DOCS_CSP } from './security-headers';

/** The files of `swagger-ui-dist` the page loads; nothing else of the package is served. */
const ASSETS = new Set([
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

/**
 * `GET /docs`: Swagger UI (`swagger-ui-express` over the bundled `swagger-ui-dist`) drawn from
 * `specUrl`, so the page documents exactly what `/openapi.json` says. Everything is served from this
 * server under `/docs/` (no CDN); the page runs no inline script, so its CSP allows scripts from
 * 'self' only. Swagger UI styles elements inline, hence `style-src 'unsafe-inline'`.
 *
 * @example
 * app.use(docsRoutes('/openapi.json'));
 * // GET /docs -> 301 /docs/; GET /docs/ -> the Swagger UI page; GET /docs/swagger-ui-init.js -> its settings
 */
export function docsRoutes(specUrl: string): Router {
  const router = Router();
  // serveFiles (not swaggerUi.serve) keeps the settings per app: swaggerUi.serve reads a module-wide
  // variable that the last setup() call wins, which two servers in one process would share.
  const [init, assets] = serveFiles(undefined, {
    swaggerUrl: specUrl,
    swaggerOptions: { displayRequestDuration: true, docExpansion: 'list', tryItOutEnabled: false },
  }) as [RequestHandler, RequestHandler];
  const page = setup(undefined, {
    swaggerUrl: specUrl,
    customSiteTitle: 'LeNet digit classifier - API',
    // The top bar only holds Swagger's logo and a box to explore other specs.
    customCss: '.swagger-ui .topbar { display: none }',
  });
  const withCsp: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    next();
  };
  const onlyAssets: RequestHandler = (req, _res, next) => {
    // '/' is the page itself (after serve-static's redirect of /docs to /docs/); other files 404.
    if (req.path === '/' || req.path === '/swagger-ui-init.js' || ASSETS.has(req.path)) next();
    else next('router');
  };
  router.use('/docs', withCsp, onlyAssets, init, assets);
  router.get('/docs/', page);
  return router;
}
