import { ByteReader } from './byte-reader';
import { TruncatedImageError } from './errors';

describe('ByteReader', () => {
  const reader = new ByteReader(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0xff, 0xff, 0xff, 0xfe]), 'a.bin');

  it('when reading in either byte order, then the value matches', () => {
    expect(reader.u16(0, false)).toBe(0x1234);
    expect(reader.u16(0, true)).toBe(0x3412);
    expect(reader.u32(0, false)).toBe(0x12345678);
    expect(reader.u32(0, true)).toBe(0x78563412);
    expect(reader.u32(4, false)).toBe(0xfffffffe);
  });

  it('when reading a signed value, then the sign is kept', () => {
    expect(reader.i32(4, true)).toBe(-16777217);
    expect(reader.i32(4, false)).toBe(-2);
  });

  it('when reading past the end, then a TruncatedImageError names the file and the structure', () => {
    expect(() => reader.u32(6, true, 'the IHDR chunk')).toThrow(TruncatedImageError);
    expect(() => reader.u32(6, true, 'the IHDR chunk')).toThrow(
      'a.bin: expected at least 10 bytes to read the IHDR chunk, found 8',
    );
  });

  it('when matching ASCII text, then only an exact in-bounds match counts', () => {
    const text = new ByteReader(new TextEncoder().encode('Exif\0\0'), 'x');
    expect(text.matches(0, 'Exif\0\0')).toBe(true);
    expect(text.matches(1, 'xif\0\0\0')).toBe(false);
  });
});
