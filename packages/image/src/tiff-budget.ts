/**
 * What a TIFF declares, checked against the file before utif2 or libtiff sees it. utif2 reads every
 * tag of every IFD into arrays of the declared count (a BitsPerSample count of 0x73000001 allocates
 * gigabytes), trusts strip offsets and sizes, and loops forever on some broken LZW data.
 */
import type { ByteReader } from './byte-reader';
import { ImageDecodeError, ImageTooComplexError } from './errors';
import { lzwProblem, TIFF_LZW } from './lzw-check';

/** Bytes per value of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ... IFD8). */
const TYPE_SIZES: Readonly<Record<number, number>> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};
const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planarConfig: 284,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  subIfds: 330,
  extraSamples: 338,
  exifIfd: 34665,
  gpsIfd: 34853,
} as const;
const MAX_SAMPLES = 8;
const MAX_BITS = 32;
/** Decoded bytes per compressed byte that each compression can reach at most, with some room. */
const MAX_RATIO: Readonly<Record<number, number>> = { 1: 1, 5: 2048, 8: 1100, 32946: 1100, 32773: 64 };
const DEFAULT_MAX_RATIO = 4096;
const LZW = 5;

interface Entry {
  tag: number;
  count: number;
  /** Where the values start: inside the entry when they fit in 4 bytes, else at the offset it holds. */
  at: number;
  size: number;
}

type Ifd = Map<number, Entry>;

/** Everything that decides the decode's cost, with the file's limits. */
export interface TiffBudgetOptions {
  maxPixels: number;
  littleEndian: boolean;
}

function tooComplex(r: ByteReader, what: string): ImageTooComplexError {
  return new ImageTooComplexError(`${r.name}: ${what}`);
}

function readIfd(r: ByteReader, offset: number, le: boolean): { ifd: Ifd; next: number } {
  const count = r.u16(offset, le, 'a TIFF IFD');
  const ifd: Ifd = new Map();
  for (let i = 0; i < count; i += 1) {
    const e = offset + 2 + 12 * i;
    const tag = r.u16(e, le, 'a TIFF IFD entry');
    const size = TYPE_SIZES[r.u16(e + 2, le, 'a TIFF IFD entry')] ?? 1;
    const values = r.u32(e + 4, le, 'a TIFF IFD entry');
    const bytes = values * size;
    const at = bytes <= 4 ? e + 8 : r.u32(e + 8, le, 'a TIFF IFD entry');
    if (at + bytes > r.bytes.length) {
      throw tooComplex(
        r,
        `expected TIFF tag ${tag}'s ${values} values (${bytes} bytes at byte ${at}) inside the ${r.bytes.length}-byte file, found them past its end`,
      );
    }
    ifd.set(tag, { tag, count: values, at, size });
  }
  return { ifd, next: r.u32(offset + 2 + 12 * count, le, 'the next-IFD offset') };
}

function values(r: ByteReader, entry: Entry | undefined, le: boolean, limit = Number.POSITIVE_INFINITY): number[] {
  if (entry === undefined) return [];
  const read = (i: number) => {
    const at = entry.at + i * entry.size;
    return entry.size === 1 ? r.u8(at) : entry.size === 2 ? r.u16(at, le) : r.u32(at, le);
  };
  return Array.from({ length: Math.min(entry.count, limit) }, (_, i) => read(i));
}

function checkImage(r: ByteReader, ifd: Ifd, page: number, o: TiffBudgetOptions): void {
  const le = o.littleEndian;
  const first = (tag: number, fallback: number) => values(r, ifd.get(tag), le, 1)[0] ?? fallback;
  const width = first(TAG.width, 0);
  const height = first(TAG.height, 0);
  if (width === 0 || height === 0) return;
  const spp = first(TAG.samplesPerPixel, 1);
  const counts = [TAG.bitsPerSample, TAG.extraSamples].map((tag) => ifd.get(tag)?.count ?? 0);
  if (spp > MAX_SAMPLES || Math.max(...counts) > MAX_SAMPLES) {
    throw tooComplex(
      r,
      `expected at most ${MAX_SAMPLES} samples per pixel in TIFF page ${page}, found SamplesPerPixel ${spp}, BitsPerSample count ${counts[0]}, ExtraSamples count ${counts[1]}`,
    );
  }
  const bits = values(r, ifd.get(TAG.bitsPerSample), le, MAX_SAMPLES);
  const bps = Math.max(1, ...bits);
  if (bps > MAX_BITS)
    throw tooComplex(r, `expected at most ${MAX_BITS} bits per sample in TIFF page ${page}, found ${bps}`);
  const decoded = Math.ceil((width * spp * bps) / 8) * height;
  // The decoded buffer, then RGBA: the pixel limit's own memory (4 bytes a pixel) is the ceiling.
  if (decoded > o.maxPixels * 4) {
    throw tooComplex(
      r,
      `expected at most ${o.maxPixels * 4} bytes of decoded pixels (4 per pixel of the ${o.maxPixels}-pixel limit), found ${width}x${height} x ${spp} samples x ${bps} bits = ${decoded} in TIFF page ${page}`,
    );
  }
  const tiled = ifd.has(TAG.tileOffsets);
  const offsets = values(r, ifd.get(tiled ? TAG.tileOffsets : TAG.stripOffsets), le);
  const sizes = values(r, ifd.get(tiled ? TAG.tileByteCounts : TAG.stripByteCounts), le);
  if (offsets.length !== sizes.length) {
    throw new ImageDecodeError(
      `${r.name}: expected as many TIFF ${tiled ? 'tile' : 'strip'} byte counts as offsets in page ${page}, found ${sizes.length} and ${offsets.length}`,
    );
  }
  let stored = 0;
  offsets.forEach((offset, i) => {
    const size = sizes[i] as number;
    if (offset + size > r.bytes.length) {
      throw tooComplex(
        r,
        `expected TIFF ${tiled ? 'tile' : 'strip'} ${i} of page ${page} (${size} bytes at byte ${offset}) inside the ${r.bytes.length}-byte file, found it past its end`,
      );
    }
    stored += size;
  });
  const compression = first(TAG.compression, 1);
  const ratio = MAX_RATIO[compression] ?? DEFAULT_MAX_RATIO;
  if (compression !== 1 && decoded > Math.max(stored, 1) * ratio) {
    throw tooComplex(
      r,
      `expected TIFF page ${page} with compression ${compression} to expand at most ${ratio}-fold, found ${stored} stored bytes declaring ${decoded} decoded`,
    );
  }
  if (compression === LZW && !tiled) {
    const rows = Math.min(first(TAG.rowsPerStrip, height) || height, height);
    const planes = first(TAG.planarConfig, 1) === 2 ? spp : 1;
    const stripBytes = Math.ceil((width * (spp / planes) * bps) / 8) * rows;
    offsets.forEach((offset, i) => {
      const problem = lzwProblem(
        r.bytes.subarray(offset, offset + (sizes[i] as number)),
        TIFF_LZW(stripBytes + width * spp * 4),
      );
      if (problem !== undefined) {
        throw new ImageDecodeError(
          `${r.name}: could not decode the TIFF data (strip ${i} of page ${page} is not valid LZW: ${problem})`,
        );
      }
    });
  }
}

/**
 * Walks every IFD (pages, and the EXIF, GPS and sub-IFDs they point to) and refuses what would make
 * a decoder allocate or loop far beyond what the file's size justifies.
 *
 * @throws ImageTooComplexError (`IMAGE_TOO_COMPLEX`) for counts or sizes out of proportion
 * @throws ImageDecodeError (`IMAGE_DECODE_FAILED`) for strips that are not what the header says
 * @example
 * checkTiffBudget(new ByteReader(bytes, 'scan.tif'), { maxPixels: 40_000_000, littleEndian: true }); // returns, or throws
 */
export function checkTiffBudget(r: ByteReader, o: TiffBudgetOptions): void {
  const le = o.littleEndian;
  const seen = new Set<number>();
  const queue: Array<{ offset: number; image: boolean }> = [{ offset: r.u32(4, le, 'the TIFF header'), image: true }];
  let page = 0;
  while (queue.length > 0) {
    const { offset, image } = queue.shift() as { offset: number; image: boolean };
    if (offset === 0 || seen.has(offset)) continue;
    seen.add(offset);
    if (seen.size > 64) throw tooComplex(r, 'expected at most 64 TIFF IFDs, found more');
    const { ifd, next } = readIfd(r, offset, le);
    if (image) {
      checkImage(r, ifd, page, o);
      page += 1;
      queue.push({ offset: next, image: true });
    }
    for (const tag of [TAG.subIfds, TAG.exifIfd, TAG.gpsIfd]) {
      for (const sub of values(r, ifd.get(tag), le, 8)) queue.push({ offset: sub, image: tag === TAG.subIfds });
    }
  }
}
