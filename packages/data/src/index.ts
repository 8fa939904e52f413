/**
 * `@lenet/data`: reads and writes MNIST IDX files, loads and writes MNIST folders as typed arrays of
 * bytes, and builds the embedded dataset. No TensorFlow.js, no logging, no environment variables.
 */
export { buildEmbeddedMnist, EMBEDDED_MNIST_FINGERPRINTS } from './embedded-mnist';
export { CLASS_NAMES_FILE, findClassNames, readClassNames } from './class-names';
export {
  CLASS_NAMES_ERROR_CODES,
  ClassNamesError,
  DATA_ERROR_CODES,
  DataOptionsError,
  IDX_ERROR_CODES,
  IdxFormatError,
  MNIST_SOURCE_ERROR_CODES,
  MnistFilesMissingError,
  MnistSourceError,
} from './errors';
export type {
  ClassNamesErrorCode,
  DataErrorCode,
  IdxErrorCode,
  IdxFormatErrorOptions,
  MnistFilesMissingErrorOptions,
  MnistSourceErrorCode,
} from './errors';
export { mnistFingerprint } from './fingerprint';
export { readIdxFile } from './idx-file';
export type { ReadIdxFileOptions } from './idx-file';
export { DEFAULT_MAX_IDX_BYTES } from './idx-gzip';
export { IDX_KINDS, IDX_UNSIGNED_BYTE, MNIST_CLASS_COUNT, MNIST_IMAGE_PIXELS, MNIST_IMAGE_SIZE } from './idx-format';
export type { IdxKind } from './idx-format';
export { decodeIdx, parseIdx } from './idx-reader';
export type { IdxData, ParseIdxOptions } from './idx-reader';
export { encodeIdx } from './idx-writer';
export type { EncodeIdxOptions } from './idx-writer';
export { loadMnist, loadMnistSplit } from './mnist-dataset';
export type {
  LoadMnistOptions,
  LoadMnistSplitOptions,
  MnistBytes,
  MnistData,
  MnistExamples,
  MnistSplitBytes,
  MnistSplitData,
  MnistSplitExamples,
} from './mnist-dataset';
export { findMnistFiles, findMnistFolder, mnistFileName, mnistFileNames } from './mnist-files';
export type { MnistFiles, MnistSplit } from './mnist-files';
export { writeMnistFolder } from './mnist-folder-writer';
export type { WriteMnistFolderOptions } from './mnist-folder-writer';
// The training shuffle and the data scripts (data/make-upload-eval.js) draw from it too.
export { mulberry32 } from './random';
