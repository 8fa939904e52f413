import { ByteReader } from './byte-reader';
import { ImageDecodeError } from './errors';
import { twoPageTiff } from './test-support/fixtures';
import { readTiffIfds, readTiffTags } from './tiff-ifd';

const le = (bytes: number[]) => new ByteReader(Uint8Array.from(bytes), 'scan.tif');

describe('readTiffTags', () => {
  // "II", 42, IFD at 8, 3 entries: width LONG 640, BYTE tag 300 = 7, orientation SHORT 6.
  const tiff = [
    0x49, 0x49, 42, 0, 8, 0, 0, 0, 3, 0, 0x00, 0x01, 4, 0, 1, 0, 0, 0, 0x80, 0x02, 0, 0, 0x2c, 0x01, 1, 0, 1, 0, 0, 0,
    7, 0, 0, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0,
  ];

  it('when tags of BYTE, SHORT and LONG type are asked for, then their values are returned', () => {
    expect(readTiffTags(le(tiff), 0, [256, 274, 300])).toEqual(
      new Map([
        [256, 640],
        [300, 7],
        [274, 6],
      ]),
    );
  });

  it('when a tag is absent, then it is absent from the result', () => {
    expect(readTiffTags(le(tiff), 0, [257]).size).toBe(0);
  });

  it('when the TIFF structure starts later in the file (as in a JPEG Exif segment), then offsets are relative to it', () => {
    expect(readTiffTags(le([0, 0, 0, ...tiff]), 3, [274]).get(274)).toBe(6);
  });

  it('when the magic number is not 42, then IMAGE_DECODE_FAILED names it', () => {
    expect(() => readTiffTags(le([0x49, 0x49, 43, 0, 8, 0, 0, 0]), 0, [256])).toThrow(ImageDecodeError);
    expect(() => readTiffTags(le([0x49, 0x49, 43, 0, 8, 0, 0, 0]), 0, [256])).toThrow(
      'scan.tif: expected TIFF magic number 42 at byte 2, found 43',
    );
  });
});

describe('readTiffIfds', () => {
  // "MM", two pages: IFD at 8 (4x4) pointing to IFD at 38 (10000x10000), then the end (0).
  const twoPages = (secondNext: number) => new ByteReader(twoPageTiff(secondNext), 'pages.tif');

  it('when a TIFF has two pages, then both IFDs are read in order', () => {
    expect(readTiffIfds(twoPages(0), 0, [256, 257])).toEqual([
      new Map([
        [256, 4],
        [257, 4],
      ]),
      new Map([
        [256, 10_000],
        [257, 10_000],
      ]),
    ]);
  });

  it('when the IFD chain loops back, then each IFD is read once', () => {
    expect(readTiffIfds(twoPages(8), 0, [256])).toHaveLength(2);
  });

  it('when only the first page is wanted, then the chain is not followed', () => {
    expect(readTiffIfds(twoPages(0), 0, [256], 1)).toEqual([new Map([[256, 4]])]);
  });
});
