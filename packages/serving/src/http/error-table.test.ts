import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IMAGE_ERROR_CODES } from '@lenet/image';
import { REQUEST_ERROR_CODES, SERVING_ERROR_CODES } from '../errors';
import { ERROR_TABLE, errorTableMarkdown, isImageFailureCode, PUBLIC_ERROR_CODES, publicCode } from './error-table';
import { describeError } from './error-status';
import { buildOpenApiSpec } from './openapi';

const README = path.resolve(__dirname, '..', '..', '..', '..', 'apps', 'server', 'README.md');
const LIMITS = { maxUploadMb: 10, maxFiles: 16, maxPixels: 24_000_000 };

/** The Markdown table under `## Errors` in the README. */
function readmeErrorTable(text: string): { start: number; end: number } {
  const section = text.indexOf('\n## Errors\n');
  const start = text.indexOf('\n|', section) + 1;
  let end = start;
  while (text.startsWith('|', end)) end = text.indexOf('\n', end) + 1;
  return { start, end };
}

describe('the error table', () => {
  test('when the README lists the errors, then its table is exactly the one generated from ERROR_TABLE (UPDATE_README=1 rewrites it)', () => {
    const text = readFileSync(README, 'utf8');
    const { start, end } = readmeErrorTable(text);
    const generated = `${errorTableMarkdown()}\n`;
    if (process.env.UPDATE_README === '1') writeFileSync(README, text.slice(0, start) + generated + text.slice(end));
    else expect(text.slice(start, end)).toBe(generated);
  });

  test('when /openapi.json is built, then ErrorBody.code lists every code of the table and each upload status names its codes', () => {
    const spec = buildOpenApiSpec(LIMITS, '0.0.0') as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
      components: { schemas: { ErrorBody: { properties: { code: { enum: string[] } } } } };
    };
    expect(spec.components.schemas.ErrorBody.properties.code.enum).toEqual(PUBLIC_ERROR_CODES);
    const predict = spec.paths['/predict']!.post!.responses;
    for (const code of ['MISSING_FILE', 'UNSUPPORTED_CONTENT_ENCODING', 'IMAGE_DECODE_TIMEOUT', 'OVERLOADED'] as const)
      expect(predict[ERROR_TABLE[code].status]?.description).toContain(`\`${code}\``);
    expect(predict['422']?.description).toContain('`IMAGE_NO_DIGIT`');
  });

  test('when a code is raised by the server or by @lenet/image, then it has a row, and only renamed codes are missing', () => {
    for (const code of SERVING_ERROR_CODES) expect(ERROR_TABLE[code].status).toBeGreaterThanOrEqual(400);
    for (const code of IMAGE_ERROR_CODES)
      expect({ code, known: publicCode(code) !== undefined }).toEqual({ code, known: true });
    expect(publicCode('IMAGE_UNSUPPORTED_FORMAT')).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(publicCode('CHECKPOINT_NOT_FOUND')).toBeUndefined();
    expect(isImageFailureCode('IMAGE_TOO_COMPLEX')).toBe(true);
    expect(isImageFailureCode('MISSING_FILE')).toBe(false);
  });

  test('when the issue-10 and issue-8 codes are described, then they keep the statuses the other packages rely on', () => {
    const statuses = Object.fromEntries(
      ['IMAGE_DECODE_TIMEOUT', 'IMAGE_TOO_COMPLEX', 'UNSUPPORTED_CONTENT_ENCODING', 'MALFORMED_URL', 'BAD_REQUEST'].map(
        (code) => [code, describeError({ code, message: 'm' }).status],
      ),
    );
    expect(statuses).toEqual({
      IMAGE_DECODE_TIMEOUT: 422,
      IMAGE_TOO_COMPLEX: 413,
      UNSUPPORTED_CONTENT_ENCODING: 415,
      MALFORMED_URL: 400,
      BAD_REQUEST: 400,
    });
    expect(REQUEST_ERROR_CODES).toContain('MALFORMED_URL');
  });

  test('when an error has no code the table knows, then it is a 500 INTERNAL_ERROR without its message', () => {
    expect(describeError(new Error('secret detail'))).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'the server failed to handle this request; the log has details',
    });
    expect(describeError({ code: 'INTERNAL_ERROR', message: 'spoofed' }).message).not.toBe('spoofed');
  });
});
