/**
 * Regression tests for hostile uploads (issue 10): each header lie is refused before any decoder
 * runs, quickly and with our own code, and decoder failures come back in our words. Every case runs
 * against both decoders.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from './decode-image';
import { selectDecoder } from './select-decoder';
import { editTiff } from './test-support/tiff-edit';

const TAG = { bitsPerSample: 258, compression: 259, stripOffsets: 273, rowsPerStrip: 278 };

/** A 60x60 uncompressed RGB TIFF of grey paper with a dark square, as a scanner writes it. */
async function plainTiff(): Promise<Buffer> {
  const rgb = Buffer.alloc(60 * 60 * 3, 230);
  for (let y = 20; y < 40; y += 1) rgb.fill(20, (y * 60 + 20) * 3, (y * 60 + 40) * 3);
  return sharp(rgb, { raw: { width: 60, height: 60, channels: 3 } })
    .tiff({ compression: 'none' })
    .toBuffer();
}

/** PNG signature and an IHDR chunk (CRC not checked by our header reader), then `idat` bytes of IDAT. */
function pngHeader(width: number, height: number, depth: number, colourType: number, idat: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(depth, 16);
  ihdr.writeUInt8(colourType, 17);
  const data = Buffer.alloc(12 + idat);
  data.writeUInt32BE(idat, 0);
  data.write('IDAT', 4, 'latin1');
  for (let i = 8; i < 8 + idat; i += 1) data[i] = (i * 131) & 0xff;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, data]);
}

describe.each(['sharp', 'jimp'] as const)('hostile images with %s', (request) => {
  const { decoder } = selectDecoder(request);
  const decode = (bytes: Uint8Array, name: string) => decodeImage(bytes, { name, decoder });

  test('when a TIFF declares 0x73000001 BitsPerSample values, then IMAGE_TOO_COMPLEX before anything is allocated', async () => {
    const tiff = editTiff(await plainTiff(), TAG.bitsPerSample, 'count', 0x73000001);
    await expect(decode(tiff, 'counts.tif')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message: expect.stringMatching(/^counts\.tif: expected TIFF tag 258's 1929379841 values .* past its end$/),
    });
  });

  test('when an uncompressed TIFF claims LZW with 32769 rows per strip, then IMAGE_DECODE_FAILED within a second', async () => {
    let tiff = editTiff(await plainTiff(), TAG.compression, 'value', 5);
    tiff = editTiff(tiff, TAG.rowsPerStrip, 'value', 32769);
    const started = performance.now();
    await expect(decode(tiff, 'lzw.tif')).rejects.toMatchObject({
      code: 'IMAGE_DECODE_FAILED',
      message: expect.stringContaining('lzw.tif: could not decode the TIFF data (strip 0 of page 0 is not valid LZW'),
    });
    expect(performance.now() - started).toBeLessThan(1000);
  }, 10_000);

  test('when a TIFF strip offset points past the end of the file, then IMAGE_TOO_COMPLEX names the strip', async () => {
    const tiff = editTiff(await plainTiff(), TAG.stripOffsets, 'value', 1_000_000);
    await expect(decode(tiff, 'strip.tif')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message: expect.stringContaining('expected TIFF strip 0 of page 0 (10800 bytes at byte 1000000)'),
    });
  });

  test('when a 4 KB JPEG header claims 4000x5999, then IMAGE_TOO_COMPLEX without decoding', async () => {
    const jpeg = Buffer.from(
      await sharp({ create: { width: 40, height: 60, channels: 3, background: '#eee' } })
        .jpeg()
        .toBuffer(),
    );
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(5999, sof + 5);
    jpeg.writeUInt16BE(4000, sof + 7);
    const padded = Buffer.concat([jpeg, Buffer.alloc(4096 - jpeg.length)]);
    await expect(decode(padded, 'lie.jpg')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message: 'lie.jpg: expected at least 23438 bytes for a 4000x5999 JPEG (375000 blocks of 8x8), found 4096',
    });
  });

  test('when a 179 KB PNG declares 4800x4800 16-bit RGBA, then IMAGE_TOO_COMPLEX under the 24 MP limit', async () => {
    const png = pngHeader(4800, 4800, 16, 6, 179_000);
    await expect(decode(png, 'deep.png')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message:
        'deep.png: expected at most 96000000 bytes of decoded pixels (4 per pixel of the 24000000-pixel limit), found 4800x4800 x 4 channels x 16 bits = 184320000 in the PNG header',
    });
  });

  test('when a 300-byte PNG declares 4000x4000 grey, then IMAGE_TOO_COMPLEX: deflate cannot expand that far', async () => {
    await expect(decode(pngHeader(4000, 4000, 8, 0, 250), 'flat.png')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
    });
  });

  test('when a GIF frame declares 65535x65535 inside a 10x10 screen, then IMAGE_TOO_COMPLEX', async () => {
    const gif = Buffer.from(
      await sharp({ create: { width: 10, height: 10, channels: 3, background: '#888' } })
        .gif()
        .toBuffer(),
    );
    const descriptor = gif.indexOf(Buffer.from([0x2c, 0, 0, 0, 0, 10, 0, 10, 0]));
    gif.writeUInt16LE(65535, descriptor + 5);
    gif.writeUInt16LE(65535, descriptor + 7);
    await expect(decode(gif, 'frame.gif')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message: 'frame.gif: expected GIF frame 0 to fit its 10x10 screen, found 65535x65535',
    });
  });

  test('when three bit flips in the LZW data of a GIF leave a loop in the string table, then IMAGE_DECODE_FAILED within a second', async () => {
    // Found by fuzzing: omggif chased this table forever, holding the thread.
    const gif = readFileSync(path.resolve(__dirname, '../fixtures/decoders/gif.gif'));
    gif[186] = 0xf2;
    gif[821] = 0x5a;
    gif[897] = 0x91;
    const started = performance.now();
    await expect(decode(gif, 'loop.gif')).rejects.toMatchObject({
      code: 'IMAGE_DECODE_FAILED',
      message: expect.stringMatching(
        /^loop\.gif: could not decode the GIF data \(frame 0 is not valid LZW: expected a code below \d+ at bit \d+, found \d+\)$/,
      ),
    });
    expect(performance.now() - started).toBeLessThan(1000);
  }, 10_000);

  test('when a 24-bit BMP declares 16777216 palette colours, then IMAGE_TOO_COMPLEX before bmp-js allocates them', async () => {
    const bmp = Buffer.from(readFileSync(path.resolve(__dirname, '../fixtures/decoders/bmp-rgb24.bmp')));
    bmp.writeUInt32LE(16_777_216, 46);
    await expect(decode(bmp, 'palette.bmp')).rejects.toMatchObject({
      code: 'IMAGE_TOO_COMPLEX',
      message: `palette.bmp: expected a BMP palette that fits in the ${bmp.length}-byte file, found 16777216 colours declared`,
    });
  });
});
