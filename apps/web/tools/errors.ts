/** Errors of the page build. */

/** Codes of {@link WebBuildError}. */
export const WEB_BUILD_ERROR_CODES = ['WEB_BUILD_FAILED', 'WEB_FORBIDDEN_INPUT'] as const;
/** One of {@link WEB_BUILD_ERROR_CODES}. */
export type WebBuildErrorCode = (typeof WEB_BUILD_ERROR_CODES)[number];

/**
 * The page could not be built, or its bundle would carry Node-only code into the browser.
 *
 * @example
 * new WebBuildError('WEB_FORBIDDEN_INPUT', 'apps/web/src: expected only browser code in the bundle, found node_modules/jimp/dist/index.js').code;
 * // 'WEB_FORBIDDEN_INPUT'
 */
export class WebBuildError extends Error {
  override readonly name = 'WebBuildError';
  constructor(
    readonly code: WebBuildErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
