import { promisify } from 'node:util';
import { constants, gunzip, gunzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { isGzip } from './idx-format';

const gunzipAsync = promisify(gunzip);

/**
 * Default ceiling on an IDX file's inflated size: 20 times the full MNIST training images (47 MB),
 * room for every MNIST-format dataset this tool trains on, far below what exhausts memory.
 */
export const DEFAULT_MAX_IDX_BYTES = 1 << 30;

/** Compressed bytes inflated to read the header; they yield at most about 0.5 MB. */
const HEADER_PEEK_BYTES = 512;

function badGzip(file: string, cause: unknown): IdxFormatError {
  const reason = (cause as { message?: unknown } | null)?.message ?? String(cause);
  return new IdxFormatError(
    'IDX_BAD_GZIP',
    `${file}: expected valid gzip data after the gzip magic 1f 8b, found corrupt data (${reason})`,
    { file, cause },
  );
}

/** How far inflating may go: `bytes` to decode at once (a header that is already wrong), or a ceiling. */
type Plan = { bytes: Uint8Array } | { ceiling: number; layout: string | null };

/**
 * Reads the IDX header from the first inflated bytes and computes the exact inflated size it
 * declares, so that inflating can stop there instead of running through a gzip bomb.
 */
function plan(bytes: Uint8Array, file: string, maxBytes: number): Plan {
  let head: Buffer;
  try {
    head = gunzipSync(bytes.subarray(0, HEADER_PEEK_BYTES), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return { ceiling: maxBytes, layout: null }; // Inflating the whole file reports the gzip error.
  }
  if (head.length < 4) return { ceiling: maxBytes, layout: null };
  // Not an unsigned-byte IDX header: decodeIdx names the problem from these bytes alone.
  if (head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08 || head[3] === 0) return { bytes: head };
  const rank = head[3] as number;
  const headerLength = 4 + 4 * rank;
  if (head.length < headerLength) return { ceiling: maxBytes, layout: null };
  const dims = Array.from({ length: rank }, (_, i) => head.readUInt32BE(4 + 4 * i));
  if (dims.includes(0)) return { bytes: head };
  const expected = headerLength + dims.reduce((product, dim) => product * dim, 1);
  const layout = `${headerLength}-byte header + ${dims.join(' x ')} data`;
  if (expected > maxBytes) {
    throw new IdxFormatError(
      'IDX_TOO_LARGE',
      `${file}: expected at most ${maxBytes} bytes once inflated, found a header declaring ${expected} (${layout})`,
      { file },
    );
  }
  return { ceiling: expected, layout };
}

function tooLarge(file: string, ceiling: number, layout: string | null, cause: unknown): IdxFormatError {
  if (layout === null) {
    return new IdxFormatError(
      'IDX_TOO_LARGE',
      `${file}: expected at most ${ceiling} bytes once inflated, found more; stopped inflating there`,
      { file, cause },
    );
  }
  return new IdxFormatError(
    'IDX_TRAILING_BYTES',
    `${file}: expected ${ceiling} bytes once inflated (${layout}), found more; stopped inflating there (a gzip bomb or a wrong header)`,
    { file, cause },
  );
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * Gunzips `bytes` if they start with the gzip magic, else returns them unchanged; inflating stops
 * at the size the IDX header declares (and at `maxBytes`), so a gzip bomb is refused in
 * milliseconds. Blocks the event loop while inflating; {@link maybeGunzipAsync} does not.
 *
 * @example
 * maybeGunzip(gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 7])), 'x.gz'); // <Buffer 00 00 08 01 00 00 00 01 07>
 * maybeGunzip(new Uint8Array([0, 0, 8, 1]), 'x');                          // the same Uint8Array
 */
export function maybeGunzip(bytes: Uint8Array, file: string, maxBytes = DEFAULT_MAX_IDX_BYTES): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  const limits = plan(bytes, file, maxBytes);
  if ('bytes' in limits) return limits.bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: limits.ceiling });
  } catch (error) {
    throw isTooLarge(error) ? tooLarge(file, limits.ceiling, limits.layout, error) : badGzip(file, error);
  }
}

/**
 * Like {@link maybeGunzip}, but inflates on the libuv thread pool.
 *
 * @example
 * await maybeGunzipAsync(await readFile('train-images-idx3-ubyte.gz'), 'train-images-idx3-ubyte.gz');
 * // a Buffer of 47,040,016 bytes for the full MNIST training images
 */
export async function maybeGunzipAsync(
  bytes: Uint8Array,
  file: string,
  maxBytes = DEFAULT_MAX_IDX_BYTES,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const limits = plan(bytes, file, maxBytes);
  if ('bytes' in limits) return limits.bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: limits.ceiling });
  } catch (error) {
    throw isTooLarge(error) ? tooLarge(file, limits.ceiling, limits.layout, error) : badGzip(file, error);
  }
}
