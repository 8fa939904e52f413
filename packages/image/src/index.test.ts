import * as api from './index';

describe('node entry', () => {
  it('when loaded, then it offers the browser API plus decoding', () => {
    expect(Object.keys(api)).toEqual(
      expect.arrayContaining([
        'preprocessGray',
        'grayscaleFromRgba',
        'decodeImage',
        'preprocessImage',
        'readImageHeader',
        'tutorialBaselineInput',
        'NoDigitError',
      ]),
    );
  });
});
