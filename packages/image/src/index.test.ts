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
        'selectDecoder',
        'DECODER_REQUESTS',
        'IMAGE_ERROR_CODES',
        'ImageTooComplexError',
      ]),
    );
  });
});
