import { digitToModelInput } from '@lenet/digit';
import { NoDigitError } from './errors';
import { grayscaleFromRgba } from './grayscale-from-rgba';
import { preprocessGray } from './preprocess-gray';
import { drawDigitPhoto, grayToRgba, meanAbsDiff, mnistDigit } from './test-support/fixtures';

describe('preprocessGray', () => {
  it('when a canvas-like RGBA photo is converted in the browser way, then digit and model input agree', () => {
    const digit = mnistDigit(9, 4);
    const photo = drawDigitPhoto(digit, { width: 160, height: 120, centreX: 90, centreY: 60, size: 100 });
    const imageData = { width: 160, height: 120, data: new Uint8ClampedArray(grayToRgba(photo)) };
    const { digit: out, input } = preprocessGray(grayscaleFromRgba(imageData));
    expect(out).toHaveLength(784);
    expect(input).toEqual(digitToModelInput(out));
    expect(meanAbsDiff(out, digit)).toBeLessThan(20);
  });

  it('when there is no digit, then IMAGE_NO_DIGIT with the given name', () => {
    expect(() => preprocessGray({ width: 4, height: 4, data: new Uint8Array(16) }, { name: 'canvas' })).toThrow(
      NoDigitError,
    );
    expect(() => preprocessGray({ width: 4, height: 4, data: new Uint8Array(16) }, { name: 'canvas' })).toThrow(
      /^canvas: no digit found/,
    );
  });
});
