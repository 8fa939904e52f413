import { DEFAULT_CSP, DOCS_CSP, pageCsp } from './security-headers';

describe('pageCsp', () => {
  test("when a page declares its policy in a meta tag, then the header repeats it and adds frame-ancestors 'none'", () => {
    const html =
      '<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src \'self\' blob:;"></head>';
    expect(pageCsp(html)).toBe("default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'");
  });

  test('when a page declares no policy, then the header only forbids framing', () => {
    expect(pageCsp('<html><body>hi</body></html>')).toBe("frame-ancestors 'none'");
  });
});

describe('the fixed policies', () => {
  test('when JSON or /docs is served, then nothing loads from another origin and nothing may frame it', () => {
    for (const policy of [DEFAULT_CSP, DOCS_CSP]) {
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/https?:|\*|'unsafe-eval'/);
    }
    expect(DOCS_CSP).toMatch(/script-src 'self';/);
  });
});
