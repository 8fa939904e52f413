/**
 * Errors raised while reading an uploaded image and finding the digit in it. Every one carries a
 * stable `code`, so the server can map it to an HTTP status and the CLI can print one line, without
 * parsing messages.
 */

/**
 * Every code an {@link ImageError} can carry: a contract (the server's error table maps each to an
 * HTTP status), so codes are added, never renamed.
 */
export const IMAGE_ERROR_CODES = [
  'IMAGE_UNSUPPORTED_FORMAT',
  'IMAGE_TRUNCATED',
  'IMAGE_TOO_MANY_PIXELS',
  'IMAGE_TOO_COMPLEX',
  'IMAGE_DECODE_FAILED',
  'IMAGE_NO_DIGIT',
] as const;

/** One of {@link IMAGE_ERROR_CODES}. */
export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number];

/**
 * Base class of the package's errors: catch this one to handle every image problem at once.
 *
 * @example
 * try { await preprocessImage(bytes); } catch (err) {
 *   if (err instanceof ImageError) console.log(err.code); // 'IMAGE_NO_DIGIT'
 * }
 */
export class ImageError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

/**
 * The bytes are not PNG, JPEG, GIF, BMP or TIFF (judged from their first bytes, not the file name).
 *
 * @example
 * new UnsupportedImageFormatError('x.webp: expected ..., found 52 49 46 46 ...').code; // 'IMAGE_UNSUPPORTED_FORMAT'
 */
export class UnsupportedImageFormatError extends ImageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_UNSUPPORTED_FORMAT', message, options);
    this.name = 'UnsupportedImageFormatError';
  }
}

/**
 * The file ends before the header that holds the image size.
 *
 * @example
 * new TruncatedImageError('a.png: expected 24 header bytes, found 10').code; // 'IMAGE_TRUNCATED'
 */
export class TruncatedImageError extends ImageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_TRUNCATED', message, options);
    this.name = 'TruncatedImageError';
  }
}

/**
 * The header announces more pixels than allowed; raised before decoding, so a small file cannot
 * expand into gigabytes of memory. `width` and `height` are the (first) image's; for a multi-page
 * TIFF, `pages` and `pixels` count every page, since every page gets decoded.
 *
 * @example
 * const err = new ImageTooLargeError('a.png', 10_000, 10_000, 40_000_000);
 * err.message; // 'a.png: expected at most 40000000 pixels, found 10000x10000 = 100000000'
 */
export class ImageTooLargeError extends ImageError {
  readonly width: number;
  readonly height: number;
  readonly maxPixels: number;

  constructor(
    name: string,
    width: number,
    height: number,
    maxPixels: number,
    options?: { cause?: unknown; pages?: number; pixels?: number },
  ) {
    const pages = options?.pages ?? 1;
    const found =
      pages > 1
        ? `${pages} pages totalling ${options?.pixels} (the first ${width}x${height})`
        : `${width}x${height} = ${width * height}`;
    super('IMAGE_TOO_MANY_PIXELS', `${name}: expected at most ${maxPixels} pixels, found ${found}`, options);
    this.name = 'ImageTooLargeError';
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }
}

/**
 * The header declares work far out of proportion to the file: tag counts or sample sizes no image
 * of one digit needs, strips or a frame that a file this small cannot hold, or a decode that would
 * allocate far more than the pixel limit suggests. Raised before any decoder runs.
 *
 * @example
 * new ImageTooComplexError('a.tif: expected at most 4 BitsPerSample values, found 1929379841').code; // 'IMAGE_TOO_COMPLEX'
 */
export class ImageTooComplexError extends ImageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_TOO_COMPLEX', message, options);
    this.name = 'ImageTooComplexError';
  }
}

/**
 * The header looked right but the image data could not be decoded (corrupt or cut short).
 *
 * @example
 * new ImageDecodeError('a.jpg: could not decode the JPEG data (marker was not found)').code; // 'IMAGE_DECODE_FAILED'
 */
export class ImageDecodeError extends ImageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_DECODE_FAILED', message, options);
    this.name = 'ImageDecodeError';
  }
}

/**
 * The image decoded but holds nothing that looks like ink: it is empty, uniform or too faint.
 *
 * @example
 * new NoDigitError('blank.png: no digit found: every pixel is 255').code; // 'IMAGE_NO_DIGIT'
 */
export class NoDigitError extends ImageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_NO_DIGIT', message, options);
    this.name = 'NoDigitError';
  }
}

/** Codes of {@link DecoderUnavailableError}: a start-up problem, not an upload's. */
export const DECODER_ERROR_CODES = ['DECODER_UNAVAILABLE'] as const;

/** One of {@link DECODER_ERROR_CODES}. */
export type DecoderErrorCode = (typeof DECODER_ERROR_CODES)[number];

/**
 * An explicitly requested decoder cannot be used here (`--decoder sharp` without sharp's native
 * binding), or the request names no decoder. Not an {@link ImageError}: it concerns the program's
 * set-up, and is raised once at start, never for an upload.
 *
 * @example
 * new DecoderUnavailableError("image decoder: expected sharp, found it unavailable (Cannot find module 'sharp')").code;
 * // 'DECODER_UNAVAILABLE'
 */
export class DecoderUnavailableError extends Error {
  readonly code: DecoderErrorCode = 'DECODER_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecoderUnavailableError';
  }
}
