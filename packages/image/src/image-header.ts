/**
 * Image size from the header bytes alone, without decoding, so a server can refuse a 100-megapixel
 * image that compresses into a few hundred bytes before allocating anything for it.
 */
import { ByteReader } from './byte-reader';
import { ImageDecodeError, TruncatedImageError, UnsupportedImageFormatError } from './errors';
import { describeLeadingBytes, type ImageFormat, isSignaturePrefix, sniffImageFormat } from './image-format';
import { isStartOfFrame, jpegSegments } from './jpeg-segments';
import { readTiffTags, TIFF_TAG } from './tiff-ifd';

/** What the header says. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Options for {@link readImageHeader}. */
export interface ReadImageHeaderOptions {
  /** File name used in error messages; defaults to "image". */
  name?: string;
}

type Size = Pick<ImageHeader, 'width' | 'height'>;

function pngSize(r: ByteReader): Size {
  r.need(24, 'the PNG IHDR chunk');
  if (!r.matches(12, 'IHDR')) {
    throw new ImageDecodeError(`${r.name}: expected the PNG IHDR chunk at byte 12, found another chunk type`);
  }
  return { width: r.u32(16, false), height: r.u32(20, false) };
}

function jpegSize(r: ByteReader): Size {
  for (const segment of jpegSegments(r)) {
    if (isStartOfFrame(segment.marker)) {
      // Frame header: sample precision (1 byte), height (2), width (2).
      return {
        height: r.u16(segment.start + 1, false, 'the JPEG frame header'),
        width: r.u16(segment.start + 3, false, 'the JPEG frame header'),
      };
    }
  }
  throw new ImageDecodeError(`${r.name}: expected a JPEG frame header (SOFn) before the image data, found none`);
}

function gifSize(r: ByteReader): Size {
  return { width: r.u16(6, true, 'the GIF screen descriptor'), height: r.u16(8, true, 'the GIF screen descriptor') };
}

function bmpSize(r: ByteReader): Size {
  const dibSize = r.u32(14, true, 'the BMP info header');
  if (dibSize === 12) {
    return { width: r.u16(18, true, 'the BMP core header'), height: r.u16(20, true, 'the BMP core header') };
  }
  if (dibSize < 40) {
    throw new ImageDecodeError(`${r.name}: expected a BMP info header of 12 or at least 40 bytes, found ${dibSize}`);
  }
  // A negative height marks rows stored top-down.
  return { width: r.i32(18, true, 'the BMP info header'), height: Math.abs(r.i32(22, true, 'the BMP info header')) };
}

function tiffSize(r: ByteReader): Size {
  const tags = readTiffTags(r, 0, [TIFF_TAG.imageWidth, TIFF_TAG.imageLength]);
  const width = tags.get(TIFF_TAG.imageWidth);
  const height = tags.get(TIFF_TAG.imageLength);
  if (width === undefined || height === undefined) {
    throw new ImageDecodeError(
      `${r.name}: expected TIFF tags ImageWidth (256) and ImageLength (257) in the first IFD, found ${width === undefined ? 'no width' : 'no height'}`,
    );
  }
  return { width, height };
}

const SIZE_READERS: Record<ImageFormat, (r: ByteReader) => Size> = {
  png: pngSize,
  jpeg: jpegSize,
  gif: gifSize,
  bmp: bmpSize,
  tiff: tiffSize,
};

/**
 * Sniffs the format from the magic bytes and reads the image size from the header: PNG IHDR, JPEG
 * SOFn (found by walking the marker segments), GIF screen descriptor, BMP info header, TIFF IFD tags
 * 256/257. Never touches the pixel data.
 *
 * @throws UnsupportedImageFormatError (`IMAGE_UNSUPPORTED_FORMAT`) for other formats, with the first bytes
 * @throws TruncatedImageError (`IMAGE_TRUNCATED`) when the file ends inside the header
 * @throws ImageDecodeError (`IMAGE_DECODE_FAILED`) when the header is malformed or gives a zero size
 * @example
 * readImageHeader(readFileSync('data/examples/digit-6.png')); // { format: 'png', width: 240, height: 240 }
 */
export function readImageHeader(bytes: Uint8Array, options: ReadImageHeaderOptions = {}): ImageHeader {
  const name = options.name ?? 'image';
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    if (isSignaturePrefix(bytes)) {
      throw new TruncatedImageError(`${name}: expected a whole image signature, found only ${bytes.length} bytes`);
    }
    throw new UnsupportedImageFormatError(
      `${name}: expected a PNG, JPEG, GIF, BMP or TIFF image, found ${describeLeadingBytes(bytes)}`,
    );
  }
  const { width, height } = SIZE_READERS[format](new ByteReader(bytes, name));
  if (!(width > 0 && height > 0)) {
    throw new ImageDecodeError(
      `${name}: expected a positive ${format.toUpperCase()} width and height, found ${width}x${height}`,
    );
  }
  return { format, width, height };
}
