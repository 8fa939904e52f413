/**
 * sharp's native binding missing, as on a machine where its prebuilt binary could not install:
 * loading the module throws, exactly as Node does when `sharp` or `@img/sharp-linux-x64` is absent.
 */
import { decodeImage } from './decode-image';
import { DecoderUnavailableError } from './errors';
import { selectDecoder } from './select-decoder';
import { encodeGray } from './test-support/fixtures';

jest.mock('sharp', () => {
  throw new Error('Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions:\n- npm install');
});

describe('selectDecoder without sharp', () => {
  test('when auto is asked for, then jimp is chosen and the line says why, on one line', () => {
    const { decoder, description } = selectDecoder('auto');
    expect(decoder.name).toBe('jimp');
    expect(description).toBe(
      'image decoder: jimp (sharp unavailable: Could not load the "sharp" module using the linux-x64 runtime)',
    );
  });

  test('when sharp is insisted on, then DecoderUnavailableError says so and keeps the load error as cause', () => {
    expect(() => selectDecoder('sharp')).toThrow(DecoderUnavailableError);
    expect(() => selectDecoder('sharp')).toThrow(
      'image decoder: expected sharp, found it unavailable (Could not load the "sharp" module using the linux-x64 runtime)',
    );
  });

  test('when an image is decoded with the default decoder, then jimp decodes it', async () => {
    const png = await encodeGray(
      { width: 4, height: 2, data: new Uint8Array([0, 50, 100, 150, 200, 250, 0, 9]) },
      'image/png',
    );
    await expect(decodeImage(png)).resolves.toMatchObject({ decoder: 'jimp', width: 4, height: 2 });
  });
});
