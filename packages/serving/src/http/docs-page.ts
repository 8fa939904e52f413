import { createHash } from 'node:crypto';
import type { OpenApiOperation, OpenApiSpec } from './openapi';

/** A rendered page and the Content-Security-Policy that allows exactly its inline script. */
export interface DocsPage {
  html: string;
  csp: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** `code` spans from the spec's Markdown backticks; everything else stays text. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

// Sends each "try it" form with fetch and shows status, time and body. Kept tiny and inline so the
// page works offline: no CDN, no swagger-ui bundle.
const SCRIPT = `
for (const form of document.querySelectorAll('form[data-path]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = form.querySelector('output');
    const init = { method: form.dataset.method };
    const input = form.querySelector('input[type=file]');
    if (input) {
      if (input.files.length === 0) { out.textContent = 'Pick a file first.'; return; }
      init.body = new FormData();
      for (const file of input.files) init.body.append('file', file, file.name);
    }
    out.textContent = 'Sending...';
    const started = performance.now();
    try {
      const response = await fetch(form.dataset.path, init);
      const text = await response.text();
      let body = text;
      try { body = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.textContent = response.status + ' ' + response.statusText + ' (' + Math.round(performance.now() - started) + ' ms)\\n\\n' + body;
    } catch (error) {
      out.textContent = 'Request failed: ' + error;
    }
  });
}`;

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{margin-bottom:.2rem}section{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.4rem 1rem 1rem}
.m{display:inline-block;min-width:3.6rem;text-align:center;font-weight:700;color:#fff;border-radius:4px;padding:.1rem .4rem;margin-right:.5rem}
.get{background:#1f6feb}.post{background:#1a7f37}h2{font-size:1.05rem;font-family:ui-monospace,monospace}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eaeef2;padding:.2rem .6rem;text-align:left;vertical-align:top}
output{display:block;white-space:pre-wrap;font-family:ui-monospace,monospace;background:#f6f8fa;padding:.5rem;margin-top:.5rem;min-height:1.2rem}
code{background:#eff1f3;padding:0 .2rem;border-radius:3px}pre{background:#f6f8fa;padding:.5rem;overflow:auto}`;

function tryForm(path: string, method: string, operation: OpenApiOperation): string {
  const kind = operation['x-try'];
  if (kind === undefined) return `<p><a href="${escapeHtml(path)}">Open ${escapeHtml(path)}</a></p>`;
  const file =
    kind === 'get' ? '' : `<input type="file" name="file" accept="image/*"${kind === 'files' ? ' multiple' : ''}> `;
  return `<form data-path="${escapeHtml(path)}" data-method="${method.toUpperCase()}">${file}<button>Send</button><output></output></form>`;
}

function curl(path: string, method: string, operation: OpenApiOperation, base: string): string {
  const kind = operation['x-try'];
  if (kind === 'file') return `curl -F file=@digit.png ${base}${path}`;
  if (kind === 'files') return `curl -F file=@three.png -F file=@seven.jpg ${base}${path}`;
  return `curl ${method === 'get' ? '' : `-X ${method.toUpperCase()} `}${base}${path.replace('{file}', 'model.json')}`;
}

function operationSection(path: string, method: string, operation: OpenApiOperation, base: string): string {
  const responses = Object.entries(operation.responses)
    .map(
      ([status, r]) =>
        `<tr><td>${escapeHtml(status)}</td><td>${inline(r.description)}</td><td>${escapeHtml(Object.keys(r.content ?? {}).join(', '))}</td></tr>`,
    )
    .join('');
  const body =
    operation.requestBody === undefined
      ? ''
      : `<p>Body: ${Object.keys(operation.requestBody.content)
          .map((t) => `<code>${escapeHtml(t)}</code>`)
          .join(' or ')}</p>`;
  return `<section id="${escapeHtml(operation.operationId)}"><h2><span class="m ${method}">${method.toUpperCase()}</span>${escapeHtml(path)}</h2>
<p><strong>${inline(operation.summary)}</strong>${operation.description === undefined ? '' : ` ${inline(operation.description)}`}</p>${body}
<table><tr><th>Status</th><th>Meaning</th><th>Content</th></tr>${responses}</table>
<pre>${escapeHtml(curl(path, method, operation, base))}</pre>${tryForm(path, method, operation)}</section>`;
}

/**
 * The `/docs` page: every operation of the spec with its responses, a curl line, and a form that
 * sends a chosen file (or a GET) to the running server. Self-contained HTML, no external assets.
 *
 * @example
 * const { html, csp } = renderDocsPage(buildOpenApiSpec(config, '0.1.0'), 'http://127.0.0.1:8000');
 * html.includes('<input type="file" name="file"'); // true
 * csp; // "default-src 'self'; script-src 'sha256-...'; style-src 'unsafe-inline'; img-src 'self' data:"
 */
export function renderDocsPage(spec: OpenApiSpec, base: string): DocsPage {
  const sections = Object.entries(spec.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => operationSection(path, method, operation, base)),
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(spec.info.title)} - API</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(spec.info.title)}</h1><p>Version ${escapeHtml(spec.info.version)} &middot; <a href="/openapi.json">openapi.json</a></p>
<p>${inline(spec.info.description)}</p>
${sections}
<script>${SCRIPT}</script></body></html>`;
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  return {
    html,
    csp: `default-src 'self'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src 'self' data:`,
  };
}
