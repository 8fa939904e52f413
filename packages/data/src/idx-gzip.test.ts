import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { readIdxFile } from './idx-file';
import { parseIdx } from './idx-reader';
import { encodeIdx } from './idx-writer';
import { caught, fakeImages, makeTempDir, writeFiles } from './test-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/**
 * A gzip bomb shaped like MNIST: a valid gzipped file of 10 images, followed by 64 more gzip members of
 * 16 MiB of zeros each (gunzip joins members), so 1 MB on disk inflates to 1 GiB.
 */
function bomb(): Buffer {
  const zeros = gzipSync(Buffer.alloc(16 << 20));
  return Buffer.concat([
    encodeIdx({ dims: [10, 28, 28], data: fakeImages(10) }, { gzip: true }),
    ...Array(64).fill(zeros),
  ]);
}

describe('inflating gzipped IDX files with a ceiling', () => {
  it('when a gzip bomb is read, then it is refused within a second, naming the file and the declared size', async () => {
    const file = join(dir, 'train-images-idx3-ubyte.gz');
    await writeFiles(dir, { 'train-images-idx3-ubyte.gz': bomb() });
    const started = Date.now();
    const error = await caught(() => readIdxFile(file, { kind: 'images' }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error).toMatchObject({ code: 'IDX_TRAILING_BYTES', file });
    expect(error.message).toBe(
      `${file}: expected 7856 bytes once inflated (16-byte header + 10 x 28 x 28 data), found more; stopped inflating there (a gzip bomb or a wrong header)`,
    );
  });

  it('when a gzip bomb is parsed from memory, then parseIdx refuses it just as fast', async () => {
    const bytes = bomb();
    const started = Date.now();
    const error = await caught(() => parseIdx(bytes, { file: 'bomb.gz' }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'IDX_TRAILING_BYTES', file: 'bomb.gz' });
  });

  it('when the header declares more than the limit, then IDX_TOO_LARGE refuses it before inflating the rest', async () => {
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28]); // 10,000 images
    const error = await caught(() =>
      parseIdx(gzipSync(Buffer.concat([header, Buffer.alloc(100)])), { maxBytes: 1000 }),
    );
    expect(error).toMatchObject({ code: 'IDX_TOO_LARGE' });
    expect(error.message).toBe(
      '<buffer>: expected at most 1000 bytes once inflated, found a header declaring 7840016 (16-byte header + 10000 x 28 x 28 data)',
    );
  });

  it('when gzipped data is not IDX at all, then the header problem is reported without inflating the rest', async () => {
    const error = await caught(() => parseIdx(gzipSync(Buffer.alloc(64 << 20, 'x')), { file: 'x.gz' }));
    expect(error).toMatchObject({ code: 'IDX_BAD_MAGIC' });
  });

  it('when a file is split into several gzip members, then it still loads whole', async () => {
    const whole = encodeIdx({ dims: [3, 28, 28], data: fakeImages(3) });
    const bytes = Buffer.concat([gzipSync(whole.subarray(0, 10)), gzipSync(whole.subarray(10))]);
    expect(parseIdx(bytes, { kind: 'images' }).data).toEqual(fakeImages(3));
  });
});
