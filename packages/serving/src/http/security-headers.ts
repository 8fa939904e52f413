/**
 * Security headers, set in one place: helmet on every response, with a Content-Security-Policy that
 * allows nothing (right for JSON, metrics and model files) and is replaced only by the HTML pages,
 * each with the policy it needs. Every policy forbids framing (`frame-ancestors 'none'`, plus
 * `X-Frame-Options: DENY` for old browsers).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Policy of every response that is not one of the pages: nothing may load, nothing may frame it. */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * `/docs` (Swagger UI): its scripts and stylesheet come from this server; it styles elements inline;
 * the icons are data: URLs in its CSS; "Try it out" calls this server.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The short page at `/` when the web page is not built: one inline style attribute, nothing else. */
export const POINTER_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The header policy of an HTML page that declares its own policy in a `<meta http-equiv>`: the same
 * policy (a browser enforces both, so a stricter header would break the page) plus `frame-ancestors`,
 * which a meta policy cannot carry. A page without one gets {@link DEFAULT_CSP}'s framing rule only.
 *
 * @example
 * pageCsp('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src \'self\' blob:">');
 * // "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'"
 */
export function pageCsp(html: string): string {
  const meta = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content="([^"]*)"/i.exec(html)?.[1];
  const declared = (meta ?? '').trim().replace(/;\s*$/, '');
  return declared === '' ? "frame-ancestors 'none'" : `${declared}; frame-ancestors 'none'`;
}

/**
 * helmet's headers with this server's settings, asked of helmet once: every one it sets is a
 * constant, so a request pays for a loop of `setHeader` instead of helmet's chain of a dozen
 * middlewares (about half the time, measured at 3-10 us a response).
 */
function helmetHeaders(): Array<[string, string]> {
  const request = new IncomingMessage(new Socket());
  const probe = new ServerResponse(request);
  helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  })(request, probe, () => undefined);
  return [
    ['Content-Security-Policy', DEFAULT_CSP],
    ...Object.entries(probe.getHeaders()).map(([name, value]): [string, string] => [name, String(value)]),
  ];
}

/**
 * helmet's defaults with this server's settings, on every response: `X-Content-Type-Options:
 * nosniff`, `Referrer-Policy`, `Cross-Origin-*`, ..., `X-Frame-Options: DENY`, {@link DEFAULT_CSP}
 * (which the pages replace), and no HSTS: the server speaks plain HTTP, and HSTS belongs to whatever
 * terminates TLS in front of it.
 *
 * @example
 * app.use(securityHeaders()); // GET /healthz -> X-Content-Type-Options: nosniff, X-Frame-Options: DENY, ...
 */
export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders();
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
