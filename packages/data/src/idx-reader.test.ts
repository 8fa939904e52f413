import { gzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { decodeIdx, parseIdx } from './idx-reader';
import { encodeIdx } from './idx-writer';
import { caught, fakeImages, imagesIdx, labelsIdx } from './test-fixtures';

const IMAGES = 'train-images-idx3-ubyte.gz';
const LABELS = 'train-labels-idx1-ubyte';

/** Parses `bytes` expecting an IdxFormatError and returns it. */
async function parseError(bytes: Uint8Array, kind: 'images' | 'labels', file = kind === 'images' ? IMAGES : LABELS) {
  const error = await caught(() => parseIdx(bytes, { file, kind }));
  expect(error).toBeInstanceOf(IdxFormatError);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  return error as IdxFormatError;
}

/** A copy of `bytes` with `bytes[index] = value`. */
function patched(bytes: Uint8Array, index: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = value;
  return copy;
}

describe('parseIdx', () => {
  it('when raw images are written then read, then dims and bytes round-trip', () => {
    const parsed = parseIdx(imagesIdx(3), { kind: 'images' });
    expect(parsed.dims).toEqual([3, 28, 28]);
    expect(parsed.data).toEqual(fakeImages(3));
  });

  it('when gzipped images are written then read, then dims and bytes round-trip', () => {
    const parsed = parseIdx(imagesIdx(3, true), { kind: 'images' });
    expect(parsed.dims).toEqual([3, 28, 28]);
    expect(parsed.data).toEqual(fakeImages(3));
  });

  it('when gzipped labels are read, then they come back as a Uint8Array', () => {
    const parsed = parseIdx(labelsIdx(12, true), { kind: 'labels' });
    expect(parsed.dims).toEqual([12]);
    expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('when raw bytes are parsed, then data is a view into them, not a copy', () => {
    const bytes = labelsIdx(5);
    const parsed = parseIdx(bytes);
    expect(parsed.data.buffer).toBe(bytes.buffer);
    expect(parsed.data.byteOffset).toBe(bytes.byteOffset + 8);
    expect(parsed.data).not.toBeInstanceOf(Buffer);
  });

  it('when no kind is given, then any rank of unsigned bytes is accepted', () => {
    const parsed = parseIdx(encodeIdx({ dims: [2, 3, 4, 5], data: new Uint8Array(120) }));
    expect(parsed.dims).toEqual([2, 3, 4, 5]);
  });

  it('when the file does not start with 00 00, then IDX_BAD_MAGIC names the expected magic', async () => {
    const error = await parseError(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'images',
      'digit.png',
    );
    expect(error.code).toBe('IDX_BAD_MAGIC');
    expect(error.message).toMatch(
      /^digit\.png: expected magic 2051 \(images, rank 3\), found 2303741511 \(0x89504e47\); not an IDX file$/,
    );
  });

  it('when a labels file is read as images, then IDX_BAD_MAGIC says 2051 was expected and 2049 found', async () => {
    const error = await parseError(labelsIdx(4, true), 'images');
    expect(error.code).toBe('IDX_BAD_MAGIC');
    expect(error.message).toBe(
      'train-images-idx3-ubyte.gz: expected magic 2051 (images, rank 3), found 2049 (labels, rank 1)',
    );
    expect(error.file).toBe(IMAGES);
  });

  it('when the data type is not unsigned byte, then IDX_BAD_TYPE names the type found', async () => {
    const error = await parseError(patched(labelsIdx(4), 2, 0x0d), 'labels');
    expect(error.code).toBe('IDX_BAD_TYPE');
    expect(error.message).toBe(`${LABELS}: expected data type 0x08 (unsigned byte), found 0x0d (float)`);
  });

  it('when images have rank 2, then IDX_BAD_RANK gives expected and found rank', async () => {
    const error = await parseError(encodeIdx({ dims: [28, 28], data: new Uint8Array(784) }), 'images');
    expect(error.code).toBe('IDX_BAD_RANK');
    expect(error.message).toBe(`${IMAGES}: expected rank 3 (images, magic 2051), found rank 2 (magic 2050)`);
  });

  it('when the rank is 0, then IDX_BAD_RANK', async () => {
    const error = await caught(() => parseIdx(new Uint8Array([0, 0, 8, 0]), { file: 'empty.idx' }));
    expect(error).toMatchObject({ code: 'IDX_BAD_RANK', message: 'empty.idx: expected rank 1 or more, found rank 0' });
  });

  it('when images are not 28x28, then IDX_BAD_DIMENSIONS gives the size found', async () => {
    const error = await parseError(encodeIdx({ dims: [2, 32, 32], data: new Uint8Array(2048) }), 'images');
    expect(error.code).toBe('IDX_BAD_DIMENSIONS');
    expect(error.message).toBe(`${IMAGES}: expected 28x28 images, found 32x32 (dims [2, 32, 32])`);
  });

  it('when a dimension is 0, then IDX_BAD_DIMENSIONS', async () => {
    const zeroCount = patched(labelsIdx(1), 7, 0).subarray(0, 8);
    const error = await parseError(zeroCount, 'labels');
    expect(error.code).toBe('IDX_BAD_DIMENSIONS');
    expect(error.message).toBe(`${LABELS}: expected every dimension > 0, found [0]`);
  });

  it('when the data is one byte short, then IDX_TRUNCATED gives expected and found byte counts', async () => {
    const bytes = imagesIdx(2);
    const error = await parseError(gzipSync(bytes.subarray(0, bytes.length - 1)), 'images');
    expect(error.code).toBe('IDX_TRUNCATED');
    expect(error.message).toBe(
      `${IMAGES}: expected 1584 bytes (16-byte header + 2 x 28 x 28 data), found 1583 bytes; file is truncated`,
    );
  });

  it('when the header itself is cut, then IDX_TRUNCATED', async () => {
    expect(await parseError(imagesIdx(2).subarray(0, 10), 'images')).toMatchObject({
      code: 'IDX_TRUNCATED',
      message: `${IMAGES}: expected a 16-byte header for rank 3, found 10 bytes`,
    });
    expect(await parseError(new Uint8Array([0, 0]), 'labels')).toMatchObject({ code: 'IDX_TRUNCATED' });
  });

  it('when bytes follow the data, then IDX_TRAILING_BYTES gives expected and found byte counts', async () => {
    const error = await parseError(Buffer.concat([labelsIdx(3), Buffer.from([0, 0])]), 'labels');
    expect(error.code).toBe('IDX_TRAILING_BYTES');
    expect(error.message).toBe(`${LABELS}: expected 11 bytes (8-byte header + 3 data), found 13 bytes (2 trailing)`);
  });

  it('when gzip data is corrupt, then IDX_BAD_GZIP keeps zlib error as the cause', async () => {
    const gz = imagesIdx(3, true);
    const error = await parseError(gz.subarray(0, gz.length - 20), 'images');
    expect(error.code).toBe('IDX_BAD_GZIP');
    expect(error.message).toMatch(/^train-images-idx3-ubyte\.gz: expected valid gzip data .*found corrupt data/);
    // zlib's error comes from another realm under Jest, so check its shape, not instanceof.
    expect(error.cause).toMatchObject({ code: 'Z_BUF_ERROR' });
  });

  it('when a label is outside 0..9, then IDX_BAD_LABEL gives the first bad index and value', async () => {
    const bytes = patched(patched(labelsIdx(6), 8 + 3, 12), 8 + 5, 200);
    const error = await parseError(bytes, 'labels');
    expect(error.code).toBe('IDX_BAD_LABEL');
    expect(error.message).toBe(`${LABELS}: expected labels 0..9, found 12 at index 3`);
  });

  it('when no file name is given, then messages say <buffer>', async () => {
    const error = await caught(() => decodeIdx(new Uint8Array([1, 2, 3, 4])));
    expect(error.message.startsWith('<buffer>: expected an IDX magic number starting 00 00')).toBe(true);
  });
});
