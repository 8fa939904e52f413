import type { ByteReader } from './byte-reader';
import { ImageDecodeError } from './errors';

/** One marker segment of a JPEG file; `start..end` is its payload (after the 2-byte length). */
export interface JpegSegment {
  marker: number;
  start: number;
  end: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * Walks the marker segments of a JPEG from just after SOI up to and including the first SOS
 * (start of scan): after it comes entropy-coded data, and every header we care about (SOFn, APP1
 * Exif) precedes it. Reads only the 4 bytes of each segment header, never the pixel data.
 *
 * @param reader - the whole file
 * @example
 * for (const s of jpegSegments(new ByteReader(bytes, 'a.jpg'))) {
 *   if (s.marker === 0xc0) console.log('baseline frame header at', s.start); // baseline frame header at 158
 * }
 */
export function* jpegSegments(reader: ByteReader): Generator<JpegSegment> {
  let pos = 2;
  for (;;) {
    const first = reader.u8(pos, 'the next JPEG marker');
    if (first !== 0xff) {
      throw new ImageDecodeError(`${reader.name}: expected a JPEG marker (0xff) at byte ${pos}, found ${hex(first)}`);
    }
    // Any number of 0xff fill bytes may precede a marker code.
    while (reader.u8(pos, 'the next JPEG marker') === 0xff) pos += 1;
    const marker = reader.u8(pos, 'the next JPEG marker');
    pos += 1;
    if (marker === SOI || marker === TEM || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === EOI) return;
    if (marker < 0xc0) {
      throw new ImageDecodeError(
        `${reader.name}: expected a JPEG marker code at byte ${pos - 1}, found ${hex(marker)}`,
      );
    }
    const length = reader.u16(pos, false, `the length of JPEG segment ${hex(marker)}`);
    if (length < 2) {
      throw new ImageDecodeError(
        `${reader.name}: expected JPEG segment ${hex(marker)} at byte ${pos} to be at least 2 bytes long, found ${length}`,
      );
    }
    yield { marker, start: pos + 2, end: pos + length };
    if (marker === SOS) return;
    pos += length;
  }
}

/**
 * True for the start-of-frame markers, whose segment holds the image size: SOF0-SOF15 except DHT
 * (0xc4), JPG (0xc8) and DAC (0xcc), which share the range.
 *
 * @example
 * isStartOfFrame(0xc2); // true (progressive)
 * isStartOfFrame(0xc4); // false (Huffman table)
 */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
