import { describeLeadingBytes, isSignaturePrefix, sniffImageFormat } from './image-format';

const bytes = (...values: Array<number | string>): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? Array.from(v, (c) => c.charCodeAt(0)) : [v])));

describe('sniffImageFormat', () => {
  it.each([
    ['png', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0)],
    ['gif', bytes('GIF87a', 1, 0)],
    ['gif', bytes('GIF89a', 1, 0)],
    ['bmp', bytes('BM', 0, 0)],
    ['tiff', bytes('II', 42, 0, 8, 0, 0, 0)],
    ['tiff', bytes('MM', 0, 42, 0, 0, 0, 8)],
  ])('when the bytes start with the %s signature, then that format is returned', (format, data) => {
    expect(sniffImageFormat(data)).toBe(format);
  });

  it('when the bytes are text, then no format is returned', () => {
    expect(sniffImageFormat(bytes('hello, world'))).toBeUndefined();
  });

  it('when the bytes are a JPEG with a misleading file name elsewhere, then only the bytes count', () => {
    expect(sniffImageFormat(bytes(0xff, 0xd8, 0xff, 'photo.png'))).toBe('jpeg');
  });
});

describe('isSignaturePrefix', () => {
  it('when the file stops inside a signature, then it is a prefix', () => {
    expect(isSignaturePrefix(bytes(0x89, 'PN'))).toBe(true);
    expect(isSignaturePrefix(bytes('GIF8'))).toBe(true);
  });

  it('when the file is empty or starts differently, then it is not', () => {
    expect(isSignaturePrefix(new Uint8Array(0))).toBe(false);
    expect(isSignaturePrefix(bytes('PK'))).toBe(false);
  });
});

describe('describeLeadingBytes', () => {
  it('when the bytes are a WebP, then the description shows hex, text and the format name', () => {
    expect(describeLeadingBytes(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 ', 0, 0))).toBe(
      '52 49 46 46 24 00 00 00 57 45 42 50 56 50 38 20 ... ("RIFF$...WEBPVP8 "), which looks like WebP',
    );
  });

  it('when the bytes are a HEIC photo or a PDF, then the format is named', () => {
    expect(describeLeadingBytes(bytes(0, 0, 0, 0x18, 'ftypheic'))).toMatch(/looks like HEIC\/HEIF$/);
    expect(describeLeadingBytes(bytes('%PDF-1.7'))).toBe('25 50 44 46 2d 31 2e 37 ("%PDF-1.7"), which looks like PDF');
  });

  it('when the file is empty, then it says so', () => {
    expect(describeLeadingBytes(new Uint8Array(0))).toBe('an empty file (0 bytes)');
  });
});
