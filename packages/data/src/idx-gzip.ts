import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { isGzip } from './idx-format';

const gunzipAsync = promisify(gunzip);

function badGzip(file: string, cause: unknown): IdxFormatError {
  const reason = (cause as { message?: unknown } | null)?.message ?? String(cause);
  return new IdxFormatError(
    'IDX_BAD_GZIP',
    `${file}: expected valid gzip data after the gzip magic 1f 8b, found corrupt data (${reason})`,
    { file, cause },
  );
}

/**
 * Gunzips `bytes` if they start with the gzip magic, else returns them unchanged. Blocks the
 * event loop while inflating; {@link maybeGunzipAsync} does not.
 *
 * @example
 * maybeGunzip(gzipSync(Buffer.from([1, 2])), 'x.gz'); // <Buffer 01 02>
 * maybeGunzip(new Uint8Array([0, 0, 8, 1]), 'x');     // the same Uint8Array
 */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw badGzip(file, error);
  }
}

/**
 * Like {@link maybeGunzip}, but inflates on the libuv thread pool.
 *
 * @example
 * await maybeGunzipAsync(await readFile('train-images-idx3-ubyte.gz'), 'train-images-idx3-ubyte.gz');
 * // a Buffer of 47,040,016 bytes for the full MNIST training images
 */
export async function maybeGunzipAsync(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    throw badGzip(file, error);
  }
}
