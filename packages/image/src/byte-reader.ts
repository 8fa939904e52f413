import { TruncatedImageError } from './errors';

/**
 * Bounds-checked big- and little-endian reads over a `Uint8Array`, for header parsing. Reading past
 * the end throws {@link TruncatedImageError} naming the file and what was being read, instead of
 * `undefined` leaking into sizes.
 *
 * @example
 * const r = new ByteReader(new Uint8Array([0, 1, 2, 3]), 'a.png');
 * r.u16(0, false); // 1
 * r.u32(0, true);  // 50462976
 * r.u8(9, 'IHDR'); // throws TruncatedImageError: a.png: expected at least 10 bytes to read IHDR, found 4
 */
export class ByteReader {
  /**
   * @param bytes - the whole file
   * @param name - file name for messages
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless `end` bytes are present; `what` names the structure for the message. */
  need(end: number, what: string): void {
    if (end > this.bytes.length) {
      throw new TruncatedImageError(
        `${this.name}: expected at least ${end} bytes to read ${what}, found ${this.bytes.length}`,
      );
    }
  }

  u8(offset: number, what = 'the header'): number {
    this.need(offset + 1, what);
    return this.bytes[offset] as number;
  }

  u16(offset: number, littleEndian: boolean, what = 'the header'): number {
    this.need(offset + 2, what);
    const a = this.bytes[offset] as number;
    const b = this.bytes[offset + 1] as number;
    return littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  u32(offset: number, littleEndian: boolean, what = 'the header'): number {
    this.need(offset + 4, what);
    const lo = this.u16(offset + (littleEndian ? 0 : 2), littleEndian, what);
    const hi = this.u16(offset + (littleEndian ? 2 : 0), littleEndian, what);
    return hi * 0x10000 + lo;
  }

  /** Signed 32-bit read (BMP stores a negative height for top-down rows). */
  i32(offset: number, littleEndian: boolean, what = 'the header'): number {
    return this.u32(offset, littleEndian, what) | 0;
  }

  /** True when the bytes at `offset` spell `text` in ASCII. */
  matches(offset: number, text: string): boolean {
    if (offset + text.length > this.bytes.length) return false;
    for (let i = 0; i < text.length; i += 1) {
      if (this.bytes[offset + i] !== text.charCodeAt(i)) return false;
    }
    return true;
  }
}
