import { IdxFormatError, type IdxErrorCode } from './errors';
import { maybeGunzip } from './idx-gzip';
import {
  IDX_KINDS,
  IDX_UNSIGNED_BYTE,
  MNIST_CLASS_COUNT,
  MNIST_IMAGE_SIZE,
  idxTypeName,
  type IdxKind,
} from './idx-format';

/** A decoded IDX file: its dimensions and its bytes in row-major order. */
export interface IdxData {
  dims: number[];
  /** A view into the decoded file, not a copy. */
  data: Uint8Array;
}

/** Options of {@link parseIdx} and {@link decodeIdx}. */
export interface ParseIdxOptions {
  /** Name used in error messages; defaults to `'<buffer>'`. */
  file?: string;
  /** When given, also checks the MNIST magic, 28x28 images or labels 0..9. */
  kind?: IdxKind;
  /** Largest inflated size accepted, in bytes (default 1 GiB). */
  maxBytes?: number;
}

/**
 * Parses an IDX file of unsigned bytes, gunzipping it first if it starts with `1f 8b` (inflating no
 * further than the size its header declares, so a gzip bomb is refused at once).
 *
 * @throws {@link IdxFormatError} with a distinct `code` for each problem.
 * @example
 * const labels = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]), { kind: 'labels' });
 * labels.dims; // [2]
 * labels.data; // Uint8Array [7, 3]
 */
export function parseIdx(input: Uint8Array, options: ParseIdxOptions = {}): IdxData {
  return decodeIdx(maybeGunzip(input, options.file ?? '<buffer>', options.maxBytes), options);
}

/**
 * Parses an IDX file that is already gunzipped. Same checks as {@link parseIdx}.
 *
 * @example
 * decodeIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 5])).data; // Uint8Array [5]
 */
export function decodeIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxData {
  const file = options.file ?? '<buffer>';
  const fail = (code: IdxErrorCode, detail: string): IdxFormatError =>
    new IdxFormatError(code, `${file}: ${detail}`, { file });

  if (bytes.length < 4) {
    throw fail('IDX_TRUNCATED', `expected at least 4 bytes of IDX magic number, found ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2] as number;
  const rank = bytes[3] as number;
  const spec = options.kind === undefined ? undefined : IDX_KINDS[options.kind];
  const wanted =
    spec === undefined
      ? 'an IDX magic number starting 00 00'
      : `magic ${spec.magic} (${options.kind}, rank ${spec.rank})`;

  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(
      'IDX_BAD_MAGIC',
      `expected ${wanted}, found ${magic} (0x${magic.toString(16).padStart(8, '0')}); not an IDX file`,
    );
  }
  if (type !== IDX_UNSIGNED_BYTE) {
    throw fail('IDX_BAD_TYPE', `expected data type ${idxTypeName(IDX_UNSIGNED_BYTE)}, found ${idxTypeName(type)}`);
  }
  if (spec !== undefined && rank !== spec.rank) {
    const other = (Object.keys(IDX_KINDS) as IdxKind[]).find((kind) => IDX_KINDS[kind].rank === rank);
    if (other !== undefined) {
      // The file is a valid MNIST file of the other kind: most likely images and labels were swapped.
      throw fail('IDX_BAD_MAGIC', `expected ${wanted}, found ${magic} (${other}, rank ${rank})`);
    }
    throw fail(
      'IDX_BAD_RANK',
      `expected rank ${spec.rank} (${options.kind}, magic ${spec.magic}), found rank ${rank} (magic ${magic})`,
    );
  }
  if (rank === 0) {
    throw fail('IDX_BAD_RANK', 'expected rank 1 or more, found rank 0');
  }

  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw fail('IDX_TRUNCATED', `expected a ${headerLength}-byte header for rank ${rank}, found ${bytes.length} bytes`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i += 1) dims.push(view.getUint32(4 + 4 * i));
  checkDims(dims, options.kind, fail);

  const dataLength = dims.reduce((product, dim) => product * dim, 1);
  const expected = headerLength + dataLength;
  const layout = `${headerLength}-byte header + ${dims.join(' x ')} data`;
  if (bytes.length < expected) {
    throw fail(
      'IDX_TRUNCATED',
      `expected ${expected} bytes (${layout}), found ${bytes.length} bytes; file is truncated`,
    );
  }
  if (bytes.length > expected) {
    throw fail(
      'IDX_TRAILING_BYTES',
      `expected ${expected} bytes (${layout}), found ${bytes.length} bytes (${bytes.length - expected} trailing)`,
    );
  }

  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, dataLength);
  if (options.kind === 'labels') checkLabels(data, fail);
  return { dims, data };
}

type Fail = (code: IdxErrorCode, detail: string) => IdxFormatError;

function checkDims(dims: number[], kind: IdxKind | undefined, fail: Fail): void {
  if (dims.some((dim) => dim === 0)) {
    throw fail('IDX_BAD_DIMENSIONS', `expected every dimension > 0, found [${dims.join(', ')}]`);
  }
  if (kind === 'images' && (dims[1] !== MNIST_IMAGE_SIZE || dims[2] !== MNIST_IMAGE_SIZE)) {
    throw fail(
      'IDX_BAD_DIMENSIONS',
      `expected ${MNIST_IMAGE_SIZE}x${MNIST_IMAGE_SIZE} images, found ${dims[1]}x${dims[2]} (dims [${dims.join(', ')}])`,
    );
  }
}

function checkLabels(labels: Uint8Array, fail: Fail): void {
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] as number;
    if (label >= MNIST_CLASS_COUNT) {
      throw fail('IDX_BAD_LABEL', `expected labels 0..${MNIST_CLASS_COUNT - 1}, found ${label} at index ${i}`);
    }
  }
}
