import { gunzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';
import { encodeIdx } from './idx-writer';
import { caught } from './test-fixtures';

describe('encodeIdx', () => {
  it('when labels are encoded, then the header is big-endian magic 2049 and the count', () => {
    const bytes = encodeIdx({ dims: [2], data: new Uint8Array([7, 3]) });
    expect(Array.from(bytes)).toEqual([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);
  });

  it('when images are encoded, then magic 2051 and three big-endian dims lead the data', () => {
    const bytes = encodeIdx({ dims: [256, 28, 28], data: new Uint8Array(256 * 784) });
    expect(bytes.readUInt32BE(0)).toBe(2051);
    expect([bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt32BE(12)]).toEqual([256, 28, 28]);
    expect(bytes.length).toBe(16 + 256 * 784);
  });

  it('when gzip is asked for, then the output is gzip of the raw encoding', () => {
    const idx = { dims: [3], data: new Uint8Array([1, 2, 3]) };
    const gz = encodeIdx(idx, { gzip: true });
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz)).toEqual(encodeIdx(idx));
  });

  it('when data length does not match the dims, then IDX_BAD_DIMENSIONS gives both', async () => {
    const error = await caught(() => encodeIdx({ dims: [2, 28, 28], data: new Uint8Array(784) }));
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error).toMatchObject({
      code: 'IDX_BAD_DIMENSIONS',
      message: 'encodeIdx: expected 1568 data bytes (2 x 28 x 28), found 784',
    });
  });

  it('when a dimension is 0 or fractional, then IDX_BAD_DIMENSIONS', async () => {
    expect(await caught(() => encodeIdx({ dims: [0], data: new Uint8Array(0) }))).toMatchObject({
      code: 'IDX_BAD_DIMENSIONS',
    });
    expect(await caught(() => encodeIdx({ dims: [1.5], data: new Uint8Array(1) }))).toMatchObject({
      code: 'IDX_BAD_DIMENSIONS',
    });
  });

  it('when there are no dims, then IDX_BAD_RANK', async () => {
    expect(await caught(() => encodeIdx({ dims: [], data: new Uint8Array(1) }))).toMatchObject({
      code: 'IDX_BAD_RANK',
    });
  });
});
