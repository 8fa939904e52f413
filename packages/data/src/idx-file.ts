import { readFile } from 'node:fs/promises';

import { IdxFormatError } from './errors';
import { DEFAULT_MAX_IDX_BYTES, maybeGunzipAsync } from './idx-gzip';
import { type IdxKind, isGzip } from './idx-format';
import { decodeIdx, type IdxData } from './idx-reader';

/** Options of {@link readIdxFile}. */
export interface ReadIdxFileOptions {
  /** When given, also checks the MNIST magic, 28x28 images or labels 0..9. */
  kind?: IdxKind;
  /** Largest (inflated) size accepted, in bytes; default 1 GiB. */
  maxBytes?: number;
}

/**
 * Reads and parses an IDX file, raw or gzipped, without blocking the event loop on inflating, and
 * inflating no further than the size the header declares (a gzip bomb is refused in milliseconds).
 * Error messages name the file by `path` as given.
 *
 * @throws {@link IdxFormatError}: `IDX_FILE_MISSING`, `IDX_READ_FAILED`, or any parse code.
 * @example
 * const { dims, data } = await readIdxFile('data/mnist/t10k-labels-idx1-ubyte.gz', { kind: 'labels' });
 * dims;        // [2000]
 * data.length; // 2000
 */
export async function readIdxFile(path: string, options: ReadIdxFileOptions = {}): Promise<IdxData> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new IdxFormatError('IDX_FILE_MISSING', `${path}: expected an IDX file, found no such file`, {
        file: path,
        cause: error,
      });
    }
    throw new IdxFormatError(
      'IDX_READ_FAILED',
      `${path}: expected a readable IDX file, found ${String(code ?? error)}`,
      {
        file: path,
        cause: error,
      },
    );
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IDX_BYTES;
  if (!isGzip(bytes) && bytes.length > maxBytes) {
    throw new IdxFormatError('IDX_TOO_LARGE', `${path}: expected at most ${maxBytes} bytes, found ${bytes.length}`, {
      file: path,
    });
  }
  return decodeIdx(await maybeGunzipAsync(bytes, path, maxBytes), { file: path, kind: options.kind });
}
