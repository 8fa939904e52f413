/**
 * Decoder failures in our words (issue 10, finding 14): the format and the problem, never the
 * library's internals, and nothing printed by a decoder reaches stdout or stderr.
 */
import sharp from 'sharp';
import { decodeFailure } from './decode-failure';
import { decodeImage } from './decode-image';
import { quietly } from './quiet';
import { selectDecoder } from './select-decoder';
import { encodeGray } from './test-support/fixtures';

const LEAKS = /window is not defined|\(e\)|"offset"|ERR_|at Object|VipsJpeg|tiff2vips|utif|omggif/;
const jimp = selectDecoder('jimp').decoder;

/** Everything written to stdout, stderr or the console while `fn` runs. */
async function captureOutput(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => seen.push(String(chunk)) > 0),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => seen.push(String(chunk)) > 0),
    ...(['log', 'warn', 'error', 'info'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args) => void seen.push(args.join(' '))),
    ),
  ];
  try {
    await fn().catch(() => undefined);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return seen;
}

describe('decoder messages', () => {
  test('when jimp meets a CMYK TIFF, then the message names TIFF and the problem, not "window is not defined"', async () => {
    const rgb = Buffer.alloc(16 * 16 * 3, 128);
    const tiff = await sharp(rgb, { raw: { width: 16, height: 16, channels: 3 } })
      .toColourspace('cmyk')
      .tiff()
      .toBuffer();
    const attempt = decodeImage(tiff, { name: 'cmyk.tif', decoder: jimp });
    await expect(attempt).rejects.toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
    await expect(decodeImage(tiff, { name: 'cmyk.tif', decoder: jimp })).rejects.toThrow(
      /^cmyk\.tif: could not decode the TIFF data \([a-z][^)]+\)$/,
    );
    await expect(decodeImage(tiff, { name: 'cmyk.tif', decoder: jimp })).rejects.not.toThrow(LEAKS);
  });

  test('when a BMP ends inside its pixel rows, then the message says so instead of a Node offset error', async () => {
    const bmp = await encodeGray({ width: 20, height: 20, data: new Uint8Array(400).fill(90) }, 'image/bmp');
    const cut = bmp.subarray(0, bmp.length - 300);
    await expect(decodeImage(cut, { name: 'cut.bmp', decoder: jimp })).rejects.toThrow(
      new RegExp(
        `^cut\\.bmp: could not decode the BMP data \\(expected 20 rows of 60 bytes ending at byte \\d+, found a ${cut.length}-byte file\\)$`,
      ),
    );
  });

  test.each(['sharp', 'jimp'] as const)(
    'when a GIF frame holds fewer rows than it declares and is read by %s, then nothing is printed',
    async (request) => {
      const gray = { width: 64, height: 64, data: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 251) };
      const gif = Buffer.from(await encodeGray(gray, 'image/gif'));
      // Screen and frame both 80 rows tall, LZW data for 64: omggif warns "gif stream shorter than expected".
      gif.writeUInt16LE(80, 8);
      gif.writeUInt16LE(80, gif.indexOf(Buffer.from([0x2c, 0, 0, 0, 0, 64, 0, 64, 0])) + 7);
      const output = await captureOutput(() =>
        decodeImage(gif, { name: 'short.gif', decoder: selectDecoder(request).decoder }),
      );
      expect(output).toEqual([]);
    },
  );

  test.each([
    ['tiff', 'e', 'the compressed image data is corrupt'],
    [
      'tiff',
      new ReferenceError('window is not defined'),
      'it uses a variant of the format that the decoder does not read',
    ],
    [
      'bmp',
      new RangeError('The value of "offset" is out of range. It must be >= 0 and <= 10. Received 12'),
      'the data ends early or points past the end of the file',
    ],
    [
      'jpeg',
      new Error('VipsJpeg: premature end of JPEG file'),
      'the data ends early or points past the end of the file',
    ],
    ['png', new Error('pngload_buffer: libspng read error: IDAT stream error'), 'the compressed image data is corrupt'],
  ] as const)(
    'when a %s decoder throws %p, then the message is ours and the original is the cause',
    (format, thrown, problem) => {
      const error = decodeFailure('x', format, thrown);
      expect(error.message).toBe(`x: could not decode the ${format.toUpperCase()} data (${problem})`);
      expect(error.cause).toBe(thrown);
    },
  );
});

describe('quietly', () => {
  test('when the wrapped code prints, then nothing escapes and the lines are handed back', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => writes.push(String(chunk)) > 0);
    try {
      const { result, dropped } = quietly(() => {
        console.log('Warning, gif stream shorter than expected.');
        process.stdout.write('raw\n');
        return 42;
      });
      expect([result, dropped]).toEqual([42, ['Warning, gif stream shorter than expected.', 'raw']]);
      process.stdout.write('after\n');
      expect(writes.join('')).toContain('after');
    } finally {
      spy.mockRestore();
    }
  });
});
