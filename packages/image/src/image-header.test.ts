import { Jimp } from 'jimp';
import { ImageDecodeError, TruncatedImageError, UnsupportedImageFormatError } from './errors';
import { readImageHeader } from './image-header';

const u16be = (v: number) => [v >> 8, v & 0xff];
const u16le = (v: number) => [v & 0xff, v >> 8];
const u32be = (v: number) => [...u16be(v >>> 16), ...u16be(v & 0xffff)];
const u32le = (v: number) => [...u16le(v & 0xffff), ...u16le(v >>> 16)];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const file = (...parts: number[][]) => Uint8Array.from(parts.flat());

/** PNG signature and IHDR only: enough for the header, nothing to decode. */
export const pngHeader = (width: number, height: number) =>
  file(
    [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a],
    u32be(13),
    ascii('IHDR'),
    u32be(width),
    u32be(height),
    [8, 6, 0, 0, 0],
    [0, 0, 0, 0],
  );

describe('readImageHeader on files encoded by jimp', () => {
  it.each(['image/png', 'image/jpeg', 'image/bmp', 'image/gif', 'image/tiff'] as const)(
    'when the file is a %s, then format and size come from the header',
    async (mime) => {
      const bytes = await new Jimp({ width: 7, height: 5, color: 0xff0000ff }).getBuffer(mime);
      expect(readImageHeader(bytes)).toEqual({ format: mime.slice(6), width: 7, height: 5 });
    },
  );
});

describe('readImageHeader on hand-made headers', () => {
  it('when a PNG claims 10000x10000 in 33 bytes, then that size is read without decoding', () => {
    expect(readImageHeader(pngHeader(10_000, 10_000))).toEqual({ format: 'png', width: 10_000, height: 10_000 });
  });

  it('when a progressive JPEG has fill bytes before its SOF2 marker, then the frame size is found', () => {
    const jpeg = file(
      [0xff, 0xd8],
      [0xff, 0xe0],
      u16be(16),
      ascii('JFIF\0'),
      [1, 1, 0, 0, 1, 0, 1, 0, 0],
      [0xff, 0xff, 0xff, 0xc2],
      u16be(17),
      [8],
      u16be(4000),
      u16be(3000),
      [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    );
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 3000, height: 4000 });
  });

  it('when a big-endian TIFF stores the size as SHORTs, then it is read', () => {
    const tiff = file(
      ascii('MM'),
      u16be(42),
      u32be(8),
      u16be(2),
      u16be(256),
      u16be(3),
      u32be(1),
      [...u16be(640), 0, 0],
      u16be(257),
      u16be(3),
      u32be(1),
      [...u16be(480), 0, 0],
      u32be(0),
    );
    expect(readImageHeader(tiff)).toEqual({ format: 'tiff', width: 640, height: 480 });
  });

  it('when a little-endian TIFF stores the size as LONGs after other tags, then it is read', () => {
    const tiff = file(
      ascii('II'),
      u16le(42),
      u32le(8),
      u16le(3),
      u16le(254),
      u16le(4),
      u32le(1),
      u32le(0),
      u16le(256),
      u16le(4),
      u32le(1),
      u32le(70_000),
      u16le(257),
      u16le(4),
      u32le(1),
      u32le(3),
      u32le(0),
    );
    expect(readImageHeader(tiff)).toEqual({ format: 'tiff', width: 70_000, height: 3 });
  });

  it('when a BMP stores rows top-down (negative height), then the height is positive', () => {
    const bmp = file(
      ascii('BM'),
      u32le(0),
      u32le(0),
      u32le(54),
      u32le(40),
      u32le(300),
      u32le(-400 >>> 0),
      u16le(1),
      u16le(24),
    );
    expect(readImageHeader(bmp)).toEqual({ format: 'bmp', width: 300, height: 400 });
  });

  it('when a BMP has the old 12-byte core header, then its 16-bit size is read', () => {
    const bmp = file(ascii('BM'), u32le(0), u32le(0), u32le(26), u32le(12), u16le(31), u16le(17), u16le(1), u16le(24));
    expect(readImageHeader(bmp)).toEqual({ format: 'bmp', width: 31, height: 17 });
  });

  it('when a GIF has a screen descriptor, then its size is read', () => {
    expect(readImageHeader(file(ascii('GIF89a'), u16le(320), u16le(200), [0, 0, 0]))).toEqual({
      format: 'gif',
      width: 320,
      height: 200,
    });
  });
});

describe('readImageHeader failures', () => {
  it('when the bytes are not an image, then IMAGE_UNSUPPORTED_FORMAT shows what they look like', () => {
    const html = new TextEncoder().encode('<!doctype html><html>');
    expect(() => readImageHeader(html, { name: 'upload.png' })).toThrow(UnsupportedImageFormatError);
    expect(() => readImageHeader(html, { name: 'upload.png' })).toThrow(
      'upload.png: expected a PNG, JPEG, GIF, BMP or TIFF image, found 3c 21 64 6f 63 74 79 70 65 20 68 74 6d 6c 3e 3c ... ("<!doctype html><"), which looks like text (SVG, HTML or XML?)',
    );
  });

  it('when the file is empty, then IMAGE_UNSUPPORTED_FORMAT says so', () => {
    expect(() => readImageHeader(new Uint8Array(0))).toThrow(
      'image: expected a PNG, JPEG, GIF, BMP or TIFF image, found an empty file (0 bytes)',
    );
  });

  it.each([
    ['inside the signature', pngHeader(5, 5).subarray(0, 4)],
    ['inside the PNG IHDR', pngHeader(5, 5).subarray(0, 20)],
    ['inside the GIF screen descriptor', file(ascii('GIF89a'), [1])],
    ['inside the BMP info header', file(ascii('BM'), u32le(0), u32le(0), u32le(54), u32le(40), [1, 0])],
    ['before the JPEG frame header', file([0xff, 0xd8], [0xff, 0xe0], u16be(16), ascii('JFIF\0'))],
    ['inside the TIFF IFD', file(ascii('II'), u16le(42), u32le(8), u16le(2), u16le(256))],
  ])('when the file ends %s, then IMAGE_TRUNCATED', (_where, bytes) => {
    const attempt = () => readImageHeader(bytes, { name: 'cut.img' });
    expect(attempt).toThrow(TruncatedImageError);
    expect(attempt).toThrow(/^cut\.img: expected /);
  });

  it('when a real JPEG is cut after its first segments, then IMAGE_TRUNCATED', async () => {
    const jpeg = await new Jimp({ width: 7, height: 5, color: 0xff0000ff }).getBuffer('image/jpeg');
    expect(() => readImageHeader(jpeg.subarray(0, 30))).toThrow(TruncatedImageError);
  });

  it.each([
    [
      'a PNG whose first chunk is not IHDR',
      file([0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a], u32be(0), ascii('IDAT'), u32be(1), u32be(1)),
    ],
    ['a PNG of width 0', pngHeader(0, 10)],
    [
      'a JPEG whose scan starts before any frame header',
      file([0xff, 0xd8], [0xff, 0xda], u16be(8), [1, 1, 0, 0, 0x3f, 0]),
    ],
    [
      'a JPEG with garbage where a marker should be',
      file([0xff, 0xd8], [0xff, 0xe0], u16be(4), [0, 0], [0x00, 0x11, 0x22]),
    ],
    [
      'a TIFF without an ImageLength tag',
      file(ascii('MM'), u16be(42), u32be(8), u16be(1), u16be(256), u16be(3), u32be(1), [0, 9, 0, 0], u32be(0)),
    ],
    [
      'a BMP with an unknown info header size',
      file(ascii('BM'), u32le(0), u32le(0), u32le(54), u32le(20), u32le(1), u32le(1)),
    ],
  ])('when the header is %s, then IMAGE_DECODE_FAILED', (_what, bytes) => {
    expect(() => readImageHeader(bytes)).toThrow(ImageDecodeError);
  });
});
