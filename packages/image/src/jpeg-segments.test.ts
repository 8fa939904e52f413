import { Jimp } from 'jimp';
import { ByteReader } from './byte-reader';
import { isStartOfFrame, jpegSegments } from './jpeg-segments';

describe('jpegSegments', () => {
  it('when walking a jimp JPEG, then APP0, tables, the frame header and the scan come in order and the walk stops at the scan', async () => {
    const jpeg = await new Jimp({ width: 7, height: 5, color: 0xff0000ff }).getBuffer('image/jpeg');
    const markers = [...jpegSegments(new ByteReader(jpeg, 'a.jpg'))].map((s) => s.marker);
    expect(markers[0]).toBe(0xe0);
    expect(markers).toContain(0xc0);
    expect(markers[markers.length - 1]).toBe(0xda);
  });

  it('when a segment is listed, then start and end bound its payload', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 6, 1, 2, 3, 4, 0xff, 0xd9]);
    expect([...jpegSegments(new ByteReader(bytes, 'a.jpg'))]).toEqual([{ marker: 0xe1, start: 6, end: 10 }]);
  });
});

describe('isStartOfFrame', () => {
  it('when the marker is SOF0-SOF15, then true, except for DHT, JPG and DAC', () => {
    const sof = Array.from({ length: 16 }, (_, i) => 0xc0 + i).filter(isStartOfFrame);
    expect(sof).toEqual([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
  });
});
