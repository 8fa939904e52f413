import * as browser from './browser';

// Any import of jimp or sharp from the browser entry's module graph fails this file.
jest.mock('jimp', () => {
  throw new Error('browser.ts must not import jimp');
});
jest.mock('sharp', () => {
  throw new Error('browser.ts must not import sharp');
});

describe('browser entry', () => {
  it('when loaded with jimp and sharp unavailable, then the pure API is there and decoding is not', () => {
    expect(typeof browser.preprocessGray).toBe('function');
    expect(typeof browser.grayscaleFromRgba).toBe('function');
    expect(typeof browser.readImageHeader).toBe('function');
    expect((browser as Record<string, unknown>).decodeImage).toBeUndefined();
    expect((browser as Record<string, unknown>).selectDecoder).toBeUndefined();
  });
});
