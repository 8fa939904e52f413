import { Jimp } from 'jimp';
import { readExifOrientation } from './exif-orientation';
import { withExifOrientation } from './test-support/fixtures';

describe('readExifOrientation', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await new Jimp({ width: 8, height: 4, color: 0x808080ff }).getBuffer('image/jpeg');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('when a JPEG carries an Exif Orientation of %i, then it is read', (orientation) => {
    expect(readExifOrientation(withExifOrientation(jpeg, orientation), 'jpeg')).toBe(orientation);
  });

  it('when a JPEG has no Exif segment, then the orientation is 1', () => {
    expect(readExifOrientation(jpeg, 'jpeg')).toBe(1);
  });

  it('when the Exif orientation value is out of range, then it is ignored (1)', () => {
    expect(readExifOrientation(withExifOrientation(jpeg, 9), 'jpeg')).toBe(1);
  });

  it('when the Exif segment is cut short, then the orientation is 1 rather than an error', () => {
    const broken = withExifOrientation(jpeg, 6);
    broken[16] = 0xff; // the IFD offset (bytes 16-19) now points far past the end of the file
    expect(readExifOrientation(broken, 'jpeg')).toBe(1);
  });

  it('when a TIFF has an Orientation tag in its first IFD, then it is read', () => {
    const tiff = Uint8Array.from([
      0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0,
    ]);
    expect(readExifOrientation(tiff, 'tiff')).toBe(8);
  });

  it('when the image is a PNG, then the orientation is 1', async () => {
    const png = await new Jimp({ width: 2, height: 2, color: 0xffffffff }).getBuffer('image/png');
    expect(readExifOrientation(png, 'png')).toBe(1);
  });
});
