import type { ByteReader } from './byte-reader';
import { ImageDecodeError } from './errors';

/** TIFF tag numbers this package reads. */
export const TIFF_TAG = Object.freeze({ imageWidth: 256, imageLength: 257, orientation: 274 });

/** More pages than this is not an upload of one digit. */
const MAX_IFDS = 64;
const BYTE = 1;
const SHORT = 3;
const LONG = 4;

/**
 * Reads the first value of some numeric tags from each IFD (image file directory, one per page) of
 * a TIFF structure, following the chain of IFDs. The same structure sits at the start of a `.tif`
 * file and inside a JPEG's APP1 "Exif" segment, hence `tiffStart`. Either byte order ("II"
 * little-endian, "MM" big-endian).
 *
 * @param reader - the whole file
 * @param tiffStart - offset of the "II"/"MM" byte-order mark; IFD offsets are relative to it
 * @param tags - tag numbers wanted; tags missing from an IFD are missing from its map
 * @param maxIfds - stop after this many IFDs (1 for the first page only)
 * @returns one map per IFD, tag number to value, for BYTE, SHORT and LONG tags
 * @example
 * readTiffIfds(new ByteReader(twoPageTiff, 'scan.tif'), 0, [256, 257]);
 * // [Map { 256 => 640, 257 => 480 }, Map { 256 => 320, 257 => 240 }]
 */
export function readTiffIfds(
  reader: ByteReader,
  tiffStart: number,
  tags: readonly number[],
  maxIfds = MAX_IFDS,
): Array<Map<number, number>> {
  let littleEndian: boolean;
  if (reader.matches(tiffStart, 'II')) littleEndian = true;
  else if (reader.matches(tiffStart, 'MM')) littleEndian = false;
  else {
    reader.need(tiffStart + 2, 'the TIFF byte-order mark');
    throw new ImageDecodeError(
      `${reader.name}: expected TIFF byte-order mark "II" or "MM" at byte ${tiffStart}, found something else`,
    );
  }
  const magic = reader.u16(tiffStart + 2, littleEndian, 'the TIFF header');
  if (magic !== 42) {
    throw new ImageDecodeError(
      `${reader.name}: expected TIFF magic number 42 at byte ${tiffStart + 2}, found ${magic}`,
    );
  }
  const ifds: Array<Map<number, number>> = [];
  const seen = new Set<number>();
  let offset = reader.u32(tiffStart + 4, littleEndian, 'the TIFF header');
  // An offset of 0 ends the chain; one seen before would loop forever.
  while (offset !== 0 && !seen.has(offset) && ifds.length < maxIfds) {
    seen.add(offset);
    const ifd = tiffStart + offset;
    const count = reader.u16(ifd, littleEndian, `TIFF IFD ${ifds.length}`);
    const found = new Map<number, number>();
    for (let i = 0; i < count; i += 1) {
      const entry = ifd + 2 + 12 * i;
      const tag = reader.u16(entry, littleEndian, 'a TIFF IFD entry');
      if (!tags.includes(tag)) continue;
      const type = reader.u16(entry + 2, littleEndian, 'a TIFF IFD entry');
      // One BYTE, SHORT or LONG value always fits the entry's 4-byte value field, left-aligned.
      if (type === SHORT) found.set(tag, reader.u16(entry + 8, littleEndian, `TIFF tag ${tag}`));
      else if (type === LONG) found.set(tag, reader.u32(entry + 8, littleEndian, `TIFF tag ${tag}`));
      else if (type === BYTE) found.set(tag, reader.u8(entry + 8, `TIFF tag ${tag}`));
    }
    ifds.push(found);
    if (ifds.length < maxIfds)
      offset = reader.u32(ifd + 2 + 12 * count, littleEndian, `the next-IFD offset of TIFF IFD ${ifds.length - 1}`);
  }
  return ifds;
}

/**
 * The first IFD's tags: {@link readTiffIfds} for the first page only.
 *
 * @example
 * readTiffTags(new ByteReader(tiffBytes, 'scan.tif'), 0, [256, 257]); // Map { 256 => 640, 257 => 480 }
 */
export function readTiffTags(reader: ByteReader, tiffStart: number, tags: readonly number[]): Map<number, number> {
  return readTiffIfds(reader, tiffStart, tags, 1)[0] ?? new Map<number, number>();
}
