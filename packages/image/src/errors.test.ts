import {
  DecoderUnavailableError,
  IMAGE_ERROR_CODES,
  ImageDecodeError,
  ImageError,
  ImageTooComplexError,
  ImageTooLargeError,
  NoDigitError,
  TruncatedImageError,
  UnsupportedImageFormatError,
} from './errors';

describe('image errors', () => {
  it.each([
    [new UnsupportedImageFormatError('m'), 'UnsupportedImageFormatError', 'IMAGE_UNSUPPORTED_FORMAT'],
    [new TruncatedImageError('m'), 'TruncatedImageError', 'IMAGE_TRUNCATED'],
    [new ImageTooLargeError('a.png', 2, 3, 5), 'ImageTooLargeError', 'IMAGE_TOO_MANY_PIXELS'],
    [new ImageTooComplexError('m'), 'ImageTooComplexError', 'IMAGE_TOO_COMPLEX'],
    [new ImageDecodeError('m'), 'ImageDecodeError', 'IMAGE_DECODE_FAILED'],
    [new NoDigitError('m'), 'NoDigitError', 'IMAGE_NO_DIGIT'],
  ])('when %s is made, then it is an ImageError with its own name and code', (err, name, code) => {
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
  });

  it('when a cause is given, then it is kept', () => {
    const cause = new Error('marker was not found');
    expect(new ImageDecodeError('a.jpg: could not decode', { cause }).cause).toBe(cause);
  });

  it('when the pixel limit is exceeded, then the message has both numbers and the sizes are fields', () => {
    const err = new ImageTooLargeError('big.png', 10_000, 10_000, 40_000_000);
    expect(err.message).toBe('big.png: expected at most 40000000 pixels, found 10000x10000 = 100000000');
    expect([err.width, err.height, err.maxPixels]).toEqual([10_000, 10_000, 40_000_000]);
  });

  test('when the code list is read, then it holds every code the classes carry, old names unchanged', () => {
    expect(IMAGE_ERROR_CODES).toEqual([
      'IMAGE_UNSUPPORTED_FORMAT',
      'IMAGE_TRUNCATED',
      'IMAGE_TOO_MANY_PIXELS',
      'IMAGE_TOO_COMPLEX',
      'IMAGE_DECODE_FAILED',
      'IMAGE_NO_DIGIT',
    ]);
  });

  test('when a decoder cannot be had, then DecoderUnavailableError is not an ImageError: it is a set-up problem', () => {
    const err = new DecoderUnavailableError('image decoder: expected sharp, found it unavailable (x)');
    expect([err.name, err.code, err instanceof ImageError]).toEqual([
      'DecoderUnavailableError',
      'DECODER_UNAVAILABLE',
      false,
    ]);
  });
});
