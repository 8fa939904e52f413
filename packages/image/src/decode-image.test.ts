import { decodeImage } from './decode-image';
import {
  ImageDecodeError,
  ImageError,
  ImageTooLargeError,
  TruncatedImageError,
  UnsupportedImageFormatError,
} from './errors';
import type { GrayImage } from './gray-image';
import { selectDecoder } from './select-decoder';
import { encodeGray, encodeRgba, twoPageTiff, withExifOrientation } from './test-support/fixtures';

/** 40x20, white, with a black 10x10 block in the top-left corner: shows any turn or flip. */
function cornerBlock(): GrayImage {
  const data = new Uint8Array(40 * 20).fill(255);
  for (let y = 0; y < 10; y += 1) data.fill(0, y * 40, y * 40 + 10);
  return { width: 40, height: 20, data };
}

const at = (g: GrayImage, x: number, y: number) => g.data[y * g.width + x] as number;

/** 16x8 grey ramp. */
const ramp: GrayImage = {
  width: 16,
  height: 8,
  data: Uint8Array.from({ length: 128 }, (_, i) => (i % 16) * 16 + ((i >> 4) % 8)),
};

describe.each(['sharp', 'jimp'] as const)('decodeImage formats with %s', (request) => {
  const { decoder } = selectDecoder(request);

  it.each(['image/png', 'image/bmp', 'image/tiff'] as const)(
    'when a lossless %s is decoded, then the grey levels come back exactly',
    async (mime) => {
      const decoded = await decodeImage(await encodeGray(ramp, mime), { decoder });
      expect(decoded).toEqual({
        ...ramp,
        format: mime.slice(6),
        sourceWidth: 16,
        sourceHeight: 8,
        decoder: mime === 'image/bmp' ? 'jimp' : request,
      });
    },
  );

  it.each([
    ['image/jpeg', 8],
    ['image/gif', 12],
  ] as const)('when a lossy %s is decoded, then the grey levels come back close', async (mime, tolerance) => {
    const decoded = await decodeImage(await encodeGray(ramp, mime, 95), { decoder });
    expect([decoded.width, decoded.height, decoded.format]).toEqual([16, 8, mime.slice(6)]);
    decoded.data.forEach((v, i) => expect(Math.abs(v - (ramp.data[i] as number))).toBeLessThanOrEqual(tolerance));
  });

  it('when a PNG has transparent black pixels and dark translucent strokes, then the background is white and the strokes dark', async () => {
    // RGB is black everywhere; only alpha draws: a stroke at full opacity and one at half.
    const rgba = new Uint8Array(10 * 4 * 4);
    for (let x = 0; x < 10; x += 1) {
      rgba[(1 * 10 + x) * 4 + 3] = 255;
      rgba[(2 * 10 + x) * 4 + 3] = 128;
    }
    const gray = await decodeImage(await encodeRgba(10, 4, rgba, 'image/png'), { decoder });
    expect([at(gray, 5, 0), at(gray, 5, 1), at(gray, 5, 2), at(gray, 5, 3)]).toEqual([255, 0, 127, 255]);
  });
});

describe.each(['sharp', 'jimp'] as const)('decodeImage EXIF orientation with %s', (request) => {
  const { decoder } = selectDecoder(request);
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await encodeGray(cornerBlock(), 'image/jpeg', 95);
  });

  it('when a JPEG has no orientation tag, then the block stays top-left', async () => {
    const gray = await decodeImage(jpeg, { decoder });
    expect([gray.width, gray.height, at(gray, 2, 2) < 64, at(gray, 37, 2) > 192]).toEqual([40, 20, true, true]);
  });

  it('when a phone JPEG says orientation 6 (turn clockwise), then it comes out upright: portrait, block top-right', async () => {
    const gray = await decodeImage(withExifOrientation(jpeg, 6), { decoder });
    expect([gray.width, gray.height]).toEqual([20, 40]);
    expect(at(gray, 17, 2)).toBeLessThan(64);
    expect(at(gray, 2, 2)).toBeGreaterThan(192);
  });

  it('when a JPEG says orientation 8 (turn counter-clockwise), then the block ends bottom-left', async () => {
    const gray = await decodeImage(withExifOrientation(jpeg, 8), { decoder });
    expect([gray.width, gray.height]).toEqual([20, 40]);
    expect(at(gray, 2, 37)).toBeLessThan(64);
    expect(at(gray, 17, 2)).toBeGreaterThan(192);
  });

  it('when a JPEG says orientation 3 (upside down), then the block ends bottom-right', async () => {
    const gray = await decodeImage(withExifOrientation(jpeg, 3), { decoder });
    expect([gray.width, gray.height, at(gray, 37, 17) < 64, at(gray, 2, 2) > 192]).toEqual([40, 20, true, true]);
  });
});

describe.each(['sharp', 'jimp'] as const)('decodeImage refusals with %s', (request) => {
  const { decoder } = selectDecoder(request);
  /** A PNG whose IHDR claims 10000x10000 followed by junk where the compressed pixels would be. */
  const bomb = (() => {
    const head = [
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x27, 0x10, 0, 0, 0x27,
      0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    const idat = [
      0,
      0,
      0,
      200,
      0x49,
      0x44,
      0x41,
      0x54,
      ...Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff),
      0,
      0,
      0,
      0,
    ];
    return Uint8Array.from([...head, ...idat]);
  })();

  it('when a few hundred bytes claim 10000x10000 pixels, then IMAGE_TOO_MANY_PIXELS comes before any decoding, with both numbers', async () => {
    expect(bomb.length).toBeLessThan(300);
    const attempt = decodeImage(bomb, { name: 'bomb.png', decoder });
    await expect(attempt).rejects.toThrow(ImageTooLargeError);
    await expect(decodeImage(bomb, { name: 'bomb.png', decoder })).rejects.toThrow(
      'bomb.png: expected at most 24000000 pixels, found 10000x10000 = 100000000',
    );
  });

  it('when a TIFF hides a 10000x10000 second page behind a 4x4 first page, then it is refused before decoding', async () => {
    const tiff = twoPageTiff();
    await expect(decodeImage(tiff, { name: 'pages.tif', decoder })).rejects.toThrow(
      'pages.tif: expected at most 24000000 pixels, found 2 pages totalling 100000016 (the first 4x4)',
    );
  });

  it('when maxPixels is lower than the image, then the image is refused', async () => {
    const png = await encodeGray(ramp, 'image/png');
    await expect(decodeImage(png, { maxPixels: 100, decoder })).rejects.toMatchObject({
      code: 'IMAGE_TOO_MANY_PIXELS',
      width: 16,
      height: 8,
      maxPixels: 100,
    });
  });

  it.each(['image/png', 'image/jpeg'] as const)(
    'when a %s is cut off in its pixel data, then IMAGE_DECODE_FAILED names the file',
    async (mime) => {
      const bytes = await encodeGray(cornerBlock(), mime);
      const cut = bytes.subarray(0, Math.floor(bytes.length * 0.7));
      await expect(decodeImage(cut, { name: 'cut.img', decoder })).rejects.toThrow(ImageDecodeError);
      await expect(decodeImage(cut, { name: 'cut.img', decoder })).rejects.toThrow(
        /^cut\.img: could not decode the (PNG|JPEG) data \(.+\)$/,
      );
    },
  );

  it('when the file is cut inside its header, then IMAGE_TRUNCATED', async () => {
    const bytes = await encodeGray(ramp, 'image/png');
    await expect(decodeImage(bytes.subarray(0, 16), { decoder })).rejects.toThrow(TruncatedImageError);
  });

  it('when the bytes are not an image, then IMAGE_UNSUPPORTED_FORMAT, and every refusal is an ImageError', async () => {
    const text = new TextEncoder().encode('name,label\nphoto.jpg,7\n');
    await expect(decodeImage(text, { name: 'labels.csv', decoder })).rejects.toThrow(UnsupportedImageFormatError);
    await expect(decodeImage(text, { decoder })).rejects.toBeInstanceOf(ImageError);
  });
});
