import { gzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { IDX_UNSIGNED_BYTE } from './idx-format';
import type { IdxData } from './idx-reader';

/** Options of {@link encodeIdx}. */
export interface EncodeIdxOptions {
  /** Gzip the result, as the MNIST distribution files are. Default `false`. */
  gzip?: boolean;
}

const MAX_DIM = 0xffffffff;

/**
 * Encodes unsigned bytes as an IDX file (type `0x08`), optionally gzipped. Writes only what
 * {@link parseIdx} accepts: rank 1..255, every dimension 1..2^32-1, `data.length` = product(dims).
 *
 * @throws {@link IdxFormatError} `IDX_BAD_RANK` or `IDX_BAD_DIMENSIONS` for inconsistent input.
 * @example
 * encodeIdx({ dims: [2], data: new Uint8Array([7, 3]) });
 * // <Buffer 00 00 08 01 00 00 00 02 07 03>
 * encodeIdx({ dims: [2], data: new Uint8Array([7, 3]) }, { gzip: true }).subarray(0, 2);
 * // <Buffer 1f 8b>
 */
export function encodeIdx(idx: IdxData, options: EncodeIdxOptions = {}): Buffer {
  const { dims, data } = idx;
  if (dims.length < 1 || dims.length > 255) {
    throw new IdxFormatError('IDX_BAD_RANK', `encodeIdx: expected 1 to 255 dimensions, found ${dims.length}`);
  }
  if (!dims.every((dim) => Number.isInteger(dim) && dim >= 1 && dim <= MAX_DIM)) {
    throw new IdxFormatError(
      'IDX_BAD_DIMENSIONS',
      `encodeIdx: expected integer dimensions 1..${MAX_DIM}, found [${dims.join(', ')}]`,
    );
  }
  const dataLength = dims.reduce((product, dim) => product * dim, 1);
  if (data.length !== dataLength) {
    throw new IdxFormatError(
      'IDX_BAD_DIMENSIONS',
      `encodeIdx: expected ${dataLength} data bytes (${dims.join(' x ')}), found ${data.length}`,
    );
  }

  const headerLength = 4 + 4 * dims.length;
  const out = Buffer.allocUnsafe(headerLength + dataLength);
  out.writeUInt32BE((IDX_UNSIGNED_BYTE << 8) | dims.length, 0);
  dims.forEach((dim, i) => out.writeUInt32BE(dim, 4 + 4 * i));
  out.set(data, headerLength);
  return options.gzip === true ? gzipSync(out) : out;
}
