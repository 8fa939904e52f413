import { NoDigitError } from './errors';
import type { GrayImage } from './gray-image';
import { inkLut, measureInk } from './ink-levels';
import { drawDigitPhoto, mnistDigit } from './test-support/fixtures';

const mnist = (label: number, index: number): GrayImage => ({ width: 28, height: 28, data: mnistDigit(label, index) });
const inverted = (g: GrayImage): GrayImage => ({ ...g, data: g.data.map((v) => 255 - v) });

describe('measureInk', () => {
  it('when the image is an MNIST digit (white on black, empty border), then nothing is inverted or cut: low 0', () => {
    const levels = measureInk(mnist(3, 0));
    expect(levels).toMatchObject({ darkInk: false, background: 0, low: 0 });
    expect(levels.high).toBeGreaterThan(240);
  });

  it('when the same digit is black on white, then the ink is dark and the levels are the mirror image', () => {
    const white = measureInk(mnist(3, 0));
    const black = measureInk(inverted(mnist(3, 0)));
    expect(black).toMatchObject({ darkInk: true, background: white.background, low: white.low, high: white.high });
    expect(Array.from(inkLut(black))).toEqual(Array.from(inkLut(white)).reverse());
  });

  it('when grey paper is photographed in dim light (paper 100, ink 30), then the polarity still comes from the border, not the absolute level', () => {
    const photo = drawDigitPhoto(mnistDigit(7, 0), {
      width: 120,
      height: 120,
      centreX: 60,
      centreY: 60,
      size: 90,
      paper: 100,
      ink: 30,
    });
    expect(measureInk(photo).darkInk).toBe(true);
  });

  it('when paper has noise, then the noise maps to 0 ink and strokes to full ink', () => {
    const photo = drawDigitPhoto(mnistDigit(2, 0), {
      width: 150,
      height: 150,
      centreX: 75,
      centreY: 75,
      size: 100,
      paper: 230,
      ink: 40,
      noise: 6,
      seed: 3,
    });
    const lut = inkLut(measureInk(photo));
    const paperOnly = drawDigitPhoto(new Uint8Array(784), {
      width: 150,
      height: 150,
      centreX: 75,
      centreY: 75,
      size: 100,
      paper: 230,
      noise: 6,
      seed: 4,
    });
    const noisy = paperOnly.data.filter((v) => (lut[v] as number) > 0).length;
    expect(noisy / paperOnly.data.length).toBeLessThan(0.002);
    expect(lut[40]).toBe(255);
  });

  it('when every pixel is the same, then IMAGE_NO_DIGIT says so', () => {
    const blank = { width: 50, height: 40, data: new Uint8Array(2000).fill(255) };
    expect(() => measureInk(blank, 'blank.png')).toThrow(NoDigitError);
    expect(() => measureInk(blank, 'blank.png')).toThrow('blank.png: no digit found: every pixel is 255');
  });

  it('when the only marks are faint (10 levels on noisy paper), then IMAGE_NO_DIGIT reports both levels', () => {
    const faint = drawDigitPhoto(mnistDigit(1, 0), {
      width: 100,
      height: 100,
      centreX: 50,
      centreY: 50,
      size: 80,
      paper: 200,
      ink: 190,
      noise: 2,
    });
    expect(() => measureInk(faint, 'faint.jpg')).toThrow(
      /^faint\.jpg: no digit found: expected ink at least 32 grey levels away from the background, found background 2\d\d and ink 1\d\d$/,
    );
  });
});
