import { digitToModelInput } from '@lenet/digit';
import { centreOfMass } from './centre-digit';
import { NoDigitError } from './errors';
import { orientGray } from './orient-gray';
import { preprocessImage } from './preprocess';
import {
  drawDigitPhoto,
  encodeGray,
  encodeRgba,
  meanAbsDiff,
  mnistDigit,
  withExifOrientation,
} from './test-support/fixtures';

/** Close to the MNIST original: small mean difference and centre of mass near (14, 14). */
function expectCloseToMnist(out: Uint8Array, original: Uint8Array) {
  expect(meanAbsDiff(out, original)).toBeLessThan(20);
  const com = centreOfMass(out);
  expect(Math.hypot(com.x - 14, com.y - 14)).toBeLessThan(0.75);
}

describe('preprocessImage on photo-like uploads of MNIST test digits', () => {
  it.each([
    [0, 10, 'image/png'],
    [3, 20, 'image/png'],
    [5, 30, 'image/png'],
    [6, 40, 'image/jpeg'],
  ] as const)(
    'when a %i (test digit %i) is drawn black on white at 300 px as %s, then the 28x28 is close to the original',
    async (label, index, mime) => {
      const digit = mnistDigit(label, index);
      const photo = drawDigitPhoto(digit, {
        width: 300,
        height: 300,
        centreX: 130 + label * 5,
        centreY: 170,
        size: 200,
        angle: 0,
        paper: 238,
        ink: 35,
        noise: 3,
        seed: index,
      });
      const result = await preprocessImage(await encodeGray(photo, mime, 80), { name: `digit-${label}` });
      expect([result.width, result.height, result.format]).toEqual([300, 300, mime.slice(6)]);
      expect(result.input).toEqual(digitToModelInput(result.digit));
      expectCloseToMnist(result.digit, digit);
    },
  );

  it('when the upload is a PNG with a transparent background and dark strokes (black RGB everywhere), then it reads as ink on white', async () => {
    const digit = mnistDigit(2, 11);
    const width = 200;
    const coverage = drawDigitPhoto(digit, {
      width,
      height: width,
      centreX: 100,
      centreY: 100,
      size: 150,
      paper: 0,
      ink: 255,
    });
    const rgba = new Uint8Array(width * width * 4);
    coverage.data.forEach((a, i) => (rgba[i * 4 + 3] = a)); // RGB stays 0: transparent pixels are "black"
    const result = await preprocessImage(await encodeRgba(width, width, rgba, 'image/png'));
    expectCloseToMnist(result.digit, digit);
  });

  it('when a phone stores the photo sideways with EXIF orientation 6, then the digit comes out upright', async () => {
    const digit = mnistDigit(7, 3);
    const upright = drawDigitPhoto(digit, { width: 160, height: 220, centreX: 80, centreY: 110, size: 140 });
    const sideways = orientGray(upright, 8); // what the sensor recorded: the inverse of "turn clockwise"
    const jpeg = await encodeGray(sideways, 'image/jpeg', 90);
    const result = await preprocessImage(withExifOrientation(jpeg, 6));
    expect([result.width, result.height]).toEqual([160, 220]);
    expectCloseToMnist(result.digit, digit);
    const ignoringExif = await preprocessImage(jpeg);
    expect(meanAbsDiff(ignoringExif.digit, digit)).toBeGreaterThan(meanAbsDiff(result.digit, digit) + 10);
  });

  it('when the upload is a blank page, then IMAGE_NO_DIGIT names the file', async () => {
    const blank = await encodeGray({ width: 64, height: 48, data: new Uint8Array(64 * 48).fill(250) }, 'image/png');
    await expect(preprocessImage(blank, { name: 'blank.png' })).rejects.toThrow(NoDigitError);
    await expect(preprocessImage(blank, { name: 'blank.png' })).rejects.toThrow(
      'blank.png: no digit found: every pixel is 250',
    );
  });
});
