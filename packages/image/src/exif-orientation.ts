import { ByteReader } from './byte-reader';
import type { ImageFormat } from './image-format';
import { jpegSegments } from './jpeg-segments';
import { readTiffTags, TIFF_TAG } from './tiff-ifd';

/**
 * EXIF orientation: how the stored pixels must be turned to display upright. 1 = as stored,
 * 3 = rotate 180°, 6 = rotate 90° clockwise, 8 = rotate 90° counter-clockwise; 2, 4, 5, 7 add a mirror.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const APP1 = 0xe1;

function asOrientation(value: number | undefined): Orientation {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 8 ? (value as Orientation) : 1;
}

/**
 * Reads the EXIF Orientation tag (274): from a JPEG's APP1 "Exif" segment, or from the first IFD
 * of a TIFF. Phones store photos sideways and set this tag instead of rotating the pixels.
 * Other formats, a missing tag or broken EXIF data all give 1: metadata must never make an
 * otherwise readable image fail.
 *
 * @example
 * readExifOrientation(portraitPhoneJpeg, 'jpeg'); // 6
 * readExifOrientation(pngBytes, 'png');           // 1
 */
export function readExifOrientation(bytes: Uint8Array, format: ImageFormat): Orientation {
  const reader = new ByteReader(bytes, 'image');
  try {
    if (format === 'tiff')
      return asOrientation(readTiffTags(reader, 0, [TIFF_TAG.orientation]).get(TIFF_TAG.orientation));
    if (format !== 'jpeg') return 1;
    for (const segment of jpegSegments(reader)) {
      if (segment.marker === APP1 && reader.matches(segment.start, 'Exif\0\0')) {
        return asOrientation(readTiffTags(reader, segment.start + 6, [TIFF_TAG.orientation]).get(TIFF_TAG.orientation));
      }
    }
  } catch {
    // Broken metadata: show the pixels as stored.
  }
  return 1;
}
