/**
 * sharp and jimp must find the same digit: every committed fixture (`fixtures/decoders`, one photo
 * of a 3 in every format and variant we accept, made by `make-fixtures.js`) through both decoders
 * and the whole preprocessing, compared on the 28x28 digit the model sees.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from './decode-image';
import { preprocessImage } from './preprocess';
import { preprocessGray } from './preprocess-gray';
import { selectDecoder } from './select-decoder';
import { drawDigitPhoto, mnistDigit, shiftedMeanAbsDiff } from './test-support/fixtures';

const DIR = path.resolve(__dirname, '../fixtures/decoders');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'fixtures.json'), 'utf8')) as Record<string, { what: string }>;
const FILES = Object.keys(manifest);
const sharpDecoder = selectDecoder('sharp').decoder;
const jimpDecoder = selectDecoder('jimp').decoder;

async function digitOf(file: string, decoder: typeof sharpDecoder) {
  return preprocessImage(readFileSync(path.join(DIR, file)), { name: file, decoder });
}

describe('decoder agreement on the committed fixtures', () => {
  /** Each decoder's digit from the plainest file of a family: grey PNG, baseline JPEG. */
  const references = new Map<string, Uint8Array>();
  beforeAll(async () => {
    for (const decoder of [sharpDecoder, jimpDecoder]) {
      references.set(`${decoder.name} png`, (await digitOf('png-grey.png', decoder)).digit);
      references.set(`${decoder.name} jpeg`, (await digitOf('jpeg-baseline.jpg', decoder)).digit);
    }
  });
  const referenceFor = (file: string, decoder: typeof sharpDecoder) =>
    references.get(`${decoder.name} ${file.startsWith('jpeg') ? 'jpeg' : 'png'}`) as Uint8Array;

  test('when the fixtures are listed, then every accepted format and variant is there', () => {
    expect(FILES).toHaveLength(14);
    for (const file of FILES) expect(readFileSync(path.join(DIR, file)).length).toBeLessThan(6_000);
  });

  test.each(FILES)('when %s is read by sharp and by jimp, then the 28x28 digits agree', async (file) => {
    const bySharp = await digitOf(file, sharpDecoder);
    const byJimp = await digitOf(file, jimpDecoder);
    expect(bySharp.decoder).toBe(file.endsWith('.bmp') ? 'jimp' : 'sharp');
    expect(byJimp.decoder).toBe('jimp');
    expect([bySharp.width, bySharp.height, bySharp.format]).toEqual([byJimp.width, byJimp.height, byJimp.format]);
    // Lossless formats give the same grey to within rounding; JPEG decoders differ in IDCT and
    // upsampling, which moves faint stroke edges (a digit turned 90 degrees differs by about 56).
    expect(shiftedMeanAbsDiff(bySharp.digit, byJimp.digit)).toBeLessThan(file.startsWith('jpeg') ? 10 : 1);
    // Each is the same 3 as its family's plainest file: orientation, alpha, CMYK and palettes were undone.
    expect(shiftedMeanAbsDiff(bySharp.digit, referenceFor(file, sharpDecoder))).toBeLessThan(20);
    expect(shiftedMeanAbsDiff(byJimp.digit, referenceFor(file, jimpDecoder))).toBeLessThan(20);
  });

  test('when a 2400x1800 JPEG photo is read, then sharp shrinks it on load to 560 px and finds the digit that jimp and a full-size pass find', async () => {
    const gray = drawDigitPhoto(mnistDigit(7, 3), {
      width: 2400,
      height: 1800,
      centreX: 1100,
      centreY: 950,
      size: 900,
      angle: 4,
      noise: 6,
    });
    const jpeg = await sharp(gray.data, { raw: { width: 2400, height: 1800, channels: 1 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const decoded = await decodeImage(jpeg, { decoder: sharpDecoder });
    expect([decoded.width, decoded.height, decoded.sourceWidth, decoded.sourceHeight]).toEqual([560, 420, 2400, 1800]);
    const bySharp = await preprocessImage(jpeg, { decoder: sharpDecoder });
    const byJimp = await preprocessImage(jpeg, { decoder: jimpDecoder });
    expect([bySharp.width, bySharp.height]).toEqual([2400, 1800]);
    expect(shiftedMeanAbsDiff(bySharp.digit, byJimp.digit)).toBeLessThan(10);
    // The reduction loses nothing the 20 px digit needs: the full-size grey gives the same digit.
    expect(shiftedMeanAbsDiff(bySharp.digit, preprocessGray(gray).digit)).toBeLessThan(10);
  });
});
