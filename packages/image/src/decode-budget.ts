/**
 * The work a header declares, checked against the file's size and the pixel limit before any
 * decoder runs. A few kilobytes can declare a 24-megapixel 16-bit image, a JPEG frame no file this
 * small can fill, a GIF frame of 65535x65535 inside a 10x10 screen, or TIFF tags with billions of
 * values: decoders would spend seconds and gigabytes finding out.
 */
import { ByteReader } from './byte-reader';
import { ImageDecodeError, ImageTooComplexError, TruncatedImageError } from './errors';
import type { ImageHeader } from './image-header';
import { lzwProblem } from './lzw-check';
import { checkTiffBudget } from './tiff-budget';

/** Options of {@link checkDecodeBudget}. */
export interface DecodeBudgetOptions {
  /** File name for messages. */
  name: string;
  /** The pixel limit; 4 bytes per pixel of it is the ceiling on decoded bytes. */
  maxPixels: number;
}

/** Deflate expands at most 1032-fold; PNG adds a filter byte per row. */
const PNG_MAX_RATIO = 1100;
const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Every 8x8 block of a Huffman-coded JPEG takes at least 2 bits; half a bit each leaves room. */
const JPEG_MIN_BYTES_PER_BLOCK = 1 / 16;
/** GIF's 12-bit LZW cannot expand one byte into more pixels than this. */
const GIF_MAX_RATIO = 4096;
const BMP_DEPTHS = new Set([1, 4, 8, 16, 24, 32]);

function checkDecodedBytes(r: ByteReader, format: string, decoded: number, what: string, maxPixels: number): void {
  if (decoded > maxPixels * 4) {
    throw new ImageTooComplexError(
      `${r.name}: expected at most ${maxPixels * 4} bytes of decoded pixels (4 per pixel of the ${maxPixels}-pixel limit), found ${what} = ${decoded} in the ${format} header`,
    );
  }
}

function checkPng(r: ByteReader, header: ImageHeader, maxPixels: number): void {
  const depth = r.u8(24, 'the PNG IHDR chunk');
  const channels = PNG_CHANNELS[r.u8(25, 'the PNG IHDR chunk')] ?? 4;
  const decoded = header.width * header.height * ((channels * depth) / 8);
  checkDecodedBytes(
    r,
    'PNG',
    decoded,
    `${header.width}x${header.height} x ${channels} channels x ${depth} bits`,
    maxPixels,
  );
  let compressed = 0;
  let cutShort = false;
  for (let pos = 8; pos < r.bytes.length; ) {
    if (pos + 12 > r.bytes.length) {
      cutShort = true;
      break;
    }
    const length = r.u32(pos, false);
    if (pos + 12 + length > r.bytes.length) cutShort = true;
    if (r.matches(pos + 4, 'IDAT')) compressed += Math.min(length, r.bytes.length - pos - 8);
    if (r.matches(pos + 4, 'IEND')) break;
    pos += 12 + length;
    if (pos >= r.bytes.length && compressed === 0) cutShort = true; // ended before any pixel data
  }
  // A file whose last chunk runs past its end is a truncated upload, not a lie about its size: the
  // decoder reports it as such (as it always has), and it can only inflate the few bytes that are there.
  if (!cutShort && decoded > Math.max(compressed, 1) * PNG_MAX_RATIO) {
    throw new ImageTooComplexError(
      `${r.name}: expected PNG pixel data that deflate can hold (at most ${PNG_MAX_RATIO}-fold), found ${compressed} compressed bytes declaring ${Math.round(decoded)} decoded`,
    );
  }
}

function checkJpeg(r: ByteReader, header: ImageHeader): void {
  const blocks = Math.ceil(header.width / 8) * Math.ceil(header.height / 8);
  const minimum = Math.ceil(blocks * JPEG_MIN_BYTES_PER_BLOCK);
  if (r.bytes.length < minimum) {
    throw new ImageTooComplexError(
      `${r.name}: expected at least ${minimum} bytes for a ${header.width}x${header.height} JPEG (${blocks} blocks of 8x8), found ${r.bytes.length}`,
    );
  }
}

/**
 * Skips GIF data sub-blocks from `pos`, returning the position after the terminator, their total
 * size and, when `collect` is set, their contents joined.
 */
function skipSubBlocks(
  r: ByteReader,
  start: number,
  collect = false,
): { pos: number; bytes: number; data?: Uint8Array } {
  let pos = start;
  let bytes = 0;
  const parts: Uint8Array[] = [];
  for (let size = r.u8(pos, 'a GIF data block'); size !== 0; size = r.u8(pos, 'a GIF data block')) {
    r.need(pos + 1 + size, 'a GIF data block');
    if (collect) parts.push(r.bytes.subarray(pos + 1, pos + 1 + size));
    bytes += size;
    pos += size + 1;
  }
  return { pos: pos + 1, bytes, data: collect ? Buffer.concat(parts) : undefined };
}

function checkGif(r: ByteReader, header: ImageHeader): void {
  try {
    checkGifFrames(r, header);
  } catch (error) {
    // A GIF cut short is the decoder's to judge: it shows the rows that arrived.
    if (!(error instanceof TruncatedImageError)) throw error;
  }
}

function checkGifFrames(r: ByteReader, header: ImageHeader): void {
  const flags = r.u8(10, 'the GIF screen descriptor');
  let pos = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  for (let frame = 0; pos < r.bytes.length; ) {
    const block = r.u8(pos, 'a GIF block');
    if (block === 0x3b) return;
    if (block === 0x21) {
      pos = skipSubBlocks(r, pos + 2).pos;
      continue;
    }
    if (block !== 0x2c) {
      throw new ImageDecodeError(
        `${r.name}: expected a GIF block (0x21, 0x2c or 0x3b) at byte ${pos}, found 0x${block.toString(16)}`,
      );
    }
    const [width, height] = [
      r.u16(pos + 5, true, 'a GIF image descriptor'),
      r.u16(pos + 7, true, 'a GIF image descriptor'),
    ];
    if (width * height > header.width * header.height) {
      throw new ImageTooComplexError(
        `${r.name}: expected GIF frame ${frame} to fit its ${header.width}x${header.height} screen, found ${width}x${height}`,
      );
    }
    const local = r.u8(pos + 9, 'a GIF image descriptor');
    pos += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
    const codeSize = r.u8(pos, 'the GIF LZW code size');
    if (codeSize < 1 || codeSize > 11) {
      throw new ImageDecodeError(
        `${r.name}: expected a GIF LZW code size of 2 to 8 in frame ${frame}, found ${codeSize}`,
      );
    }
    const data = skipSubBlocks(r, pos + 1, frame === 0);
    if (width * height > Math.max(data.bytes, 1) * GIF_MAX_RATIO) {
      throw new ImageTooComplexError(
        `${r.name}: expected GIF frame ${frame} data that LZW can expand to ${width}x${height}, found ${data.bytes} bytes`,
      );
    }
    // The first frame is the one decoded: omggif chases its string table without checks.
    const problem =
      data.data &&
      lzwProblem(data.data, {
        msbFirst: false,
        earlyChange: false,
        literalBits: codeSize,
        clearFirst: false,
        maxOutput: width * height,
      });
    if (problem !== undefined && !problem.startsWith('expected at most')) {
      throw new ImageDecodeError(
        `${r.name}: could not decode the GIF data (frame ${frame} is not valid LZW: ${problem})`,
      );
    }
    pos = data.pos;
    frame += 1;
  }
}

function checkBmp(r: ByteReader, header: ImageHeader): void {
  const dib = r.u32(14, true, 'the BMP info header');
  const depth = dib === 12 ? r.u16(24, true, 'the BMP core header') : r.u16(28, true, 'the BMP info header');
  if (!BMP_DEPTHS.has(depth)) {
    throw new ImageDecodeError(`${r.name}: expected BMP bits per pixel of 1, 4, 8, 16, 24 or 32, found ${depth}`);
  }
  // bmp-js reads as many palette entries as the header says, even for 24-bit images.
  const colours = dib === 12 ? 0 : r.u32(46, true, 'the BMP info header');
  if (14 + dib + colours * 4 > r.bytes.length) {
    throw new ImageTooComplexError(
      `${r.name}: expected a BMP palette that fits in the ${r.bytes.length}-byte file, found ${colours} colours declared`,
    );
  }
  const compression = dib === 12 ? 0 : r.u32(30, true, 'the BMP info header');
  if (compression !== 0 && compression !== 3) return;
  const rowBytes = Math.ceil((header.width * depth) / 32) * 4;
  const end = r.u32(10, true, 'the BMP file header') + rowBytes * header.height;
  if (end > r.bytes.length) {
    throw new ImageDecodeError(
      `${r.name}: could not decode the BMP data (expected ${header.height} rows of ${rowBytes} bytes ending at byte ${end}, found a ${r.bytes.length}-byte file)`,
    );
  }
}

/**
 * Refuses files whose header declares work far out of proportion to their size or to the pixel
 * limit, before any decoder runs. Reads headers, chunk and block lengths, and TIFF IFDs only
 * (plus a dry run of TIFF LZW strips), so it costs microseconds to a few milliseconds.
 *
 * @throws ImageTooComplexError (`IMAGE_TOO_COMPLEX`) when the declared work is out of proportion
 * @throws ImageDecodeError (`IMAGE_DECODE_FAILED`) when the structure is broken in a way a decoder would trip on
 * @example
 * checkDecodeBudget(fourKbJpeg, { format: 'jpeg', width: 4000, height: 5999 }, { name: 'x.jpg', maxPixels: 40e6 });
 * // throws ImageTooComplexError: x.jpg: expected at least 23438 bytes for a 4000x5999 JPEG (375000 blocks of 8x8), found 4096
 */
export function checkDecodeBudget(bytes: Uint8Array, header: ImageHeader, options: DecodeBudgetOptions): void {
  const r = new ByteReader(bytes, options.name);
  if (header.format === 'png') checkPng(r, header, options.maxPixels);
  else if (header.format === 'jpeg') checkJpeg(r, header);
  else if (header.format === 'gif') checkGif(r, header);
  else if (header.format === 'bmp') checkBmp(r, header);
  else checkTiffBudget(r, { maxPixels: options.maxPixels, littleEndian: r.matches(0, 'II') });
}
