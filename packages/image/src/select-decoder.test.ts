import { DecoderUnavailableError } from './errors';
import { DECODER_REQUESTS, decoderFor, isDecoderRequest, selectDecoder } from './select-decoder';

describe('selectDecoder', () => {
  test('when auto is asked for and sharp loads, then sharp is chosen and the line names sharp and libvips versions', () => {
    const { decoder, description } = selectDecoder('auto');
    expect(decoder.name).toBe('sharp');
    expect(description).toMatch(/^image decoder: sharp \d+\.\d+\.\d+ \(libvips \d+\.\d+\.\d+\)$/);
    expect(selectDecoder().decoder).toBe(decoder);
  });

  test('when jimp is asked for, then jimp is chosen even though sharp loads', () => {
    expect(selectDecoder('jimp')).toMatchObject({
      decoder: { name: 'jimp' },
      description: 'image decoder: jimp (requested)',
    });
  });

  test('when the request is not a decoder name, then DecoderUnavailableError lists the choices', () => {
    expect(() => selectDecoder('vips' as never)).toThrow(
      new DecoderUnavailableError('image decoder: expected one of auto, sharp, jimp, found "vips"'),
    );
  });

  test('when the flag list is read, then it is auto, sharp, jimp and isDecoderRequest agrees', () => {
    expect(DECODER_REQUESTS).toEqual(['auto', 'sharp', 'jimp']);
    expect(DECODER_REQUESTS.every(isDecoderRequest)).toBe(true);
    expect([isDecoderRequest('libvips'), isDecoderRequest(undefined)]).toEqual([false, false]);
  });

  test('when sharp is chosen for a BMP, then jimp reads it; other formats stay with sharp, however small', () => {
    const { decoder } = selectDecoder('sharp');
    expect(decoderFor(decoder, { format: 'bmp', width: 640, height: 480 }).name).toBe('jimp');
    const small = (['png', 'jpeg', 'gif', 'tiff'] as const).map((format) => ({ format, width: 28, height: 28 }));
    expect(small.map((header) => decoderFor(decoder, header).name)).toEqual(['sharp', 'sharp', 'sharp', 'sharp']);
  });

  test('when auto is chosen, then lossless images up to 128x128 go to jimp (faster there), JPEGs and larger ones to sharp', () => {
    const { decoder } = selectDecoder('auto');
    const names = [
      { format: 'png', width: 28, height: 28 },
      { format: 'gif', width: 128, height: 128 },
      { format: 'png', width: 129, height: 128 },
      { format: 'jpeg', width: 28, height: 28 },
    ].map((header) => decoderFor(decoder, header as { format: 'png'; width: number; height: number }).name);
    expect(names).toEqual(['jimp', 'jimp', 'sharp', 'sharp']);
  });
});
