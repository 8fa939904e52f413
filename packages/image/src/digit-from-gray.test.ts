import { centreOfMass } from './centre-digit';
import { digitFromGray, extractDigit } from './digit-from-gray';
import { NoDigitError } from './errors';
import type { GrayImage } from './gray-image';
import { digitFromArt, drawDigitPhoto, meanAbsDiff, mnistDigit } from './test-support/fixtures';

const asGray = (digit: Uint8Array): GrayImage => ({ width: 28, height: 28, data: digit });

/** Ink bounding box of a 28x28 digit. */
function inkBox(digit: Uint8Array) {
  const xs: number[] = [];
  const ys: number[] = [];
  digit.forEach((v, i) => {
    if (v > 0) {
      xs.push(i % 28);
      ys.push(Math.floor(i / 28));
    }
  });
  return { width: Math.max(...xs) - Math.min(...xs) + 1, height: Math.max(...ys) - Math.min(...ys) + 1 };
}

describe('digitFromGray on MNIST digits', () => {
  it('when a clean MNIST digit goes through, then it comes out (nearly) unchanged', () => {
    const diffs: number[] = [];
    for (let label = 0; label < 10; label += 1) {
      for (let index = 0; index < 8; index += 1) {
        const digit = mnistDigit(label, index * 13);
        diffs.push(meanAbsDiff(digitFromGray(asGray(digit)), digit));
      }
    }
    diffs.sort((a, b) => a - b);
    // Most differ by a grey level here and there (the contrast stretch); a rare digit moves by one
    // pixel, because its centre of mass sat exactly half a pixel off 14.
    expect(diffs[Math.floor(diffs.length / 2)]).toBeLessThan(0.5);
    expect(diffs.reduce((s, d) => s + d, 0) / diffs.length).toBeLessThan(1.5);
  });

  it('when the digit is drawn black on white instead of white on black, then the same 28x28 comes out', () => {
    for (const [label, index] of [
      [2, 5],
      [7, 9],
      [8, 1],
    ] as const) {
      const digit = mnistDigit(label, index);
      const blackOnWhite = asGray(digit.map((v) => 255 - v));
      expect(Array.from(digitFromGray(blackOnWhite))).toEqual(Array.from(digitFromGray(asGray(digit))));
    }
  });
});

describe('digitFromGray on drawn images', () => {
  it('when a digit sits off-centre in a 300x400 photo, then it is cropped, scaled to 20 px and centred', () => {
    const digit = mnistDigit(4, 2);
    const photo = drawDigitPhoto(digit, {
      width: 300,
      height: 400,
      centreX: 70,
      centreY: 310,
      size: 140,
      noise: 3,
      seed: 9,
    });
    const { digit: out, box, levels } = extractDigit(photo);
    expect(levels.darkInk).toBe(true);
    expect(box.x + box.width / 2).toBeLessThan(110); // found where it was drawn, not in the middle
    expect(box.y + box.height / 2).toBeGreaterThan(270);
    const com = centreOfMass(out);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.6);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.6);
    expect(Math.max(inkBox(out).width, inkBox(out).height)).toBeGreaterThanOrEqual(20);
    expect(meanAbsDiff(out, digit)).toBeLessThan(20);
  });

  it('when the mass of a digit is off its box centre (a "7" with a heavy bar), then the centre of mass is centred, not the box', () => {
    const seven = digitFromArt([
      ...Array(4).fill(''),
      '    ####################',
      '    ####################',
      ...Array.from({ length: 16 }, (_, i) => `${' '.repeat(22 - i)}##`),
    ]);
    const out = digitFromGray(asGray(seven));
    const com = centreOfMass(out);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    const rows = Array.from({ length: 28 }, (_, y) => out.subarray(y * 28, y * 28 + 28).some((v) => v > 0));
    // Geometric centring would start the 18-row box at row 5; the heavy bar pulls it down.
    expect(rows.indexOf(true)).toBeGreaterThanOrEqual(8);
  });

  it('when the digit is a tall thin "1", then it stays thin: height 20, width a few pixels', () => {
    const data = new Uint8Array(200 * 200).fill(250);
    for (let y = 30; y < 170; y += 1) data.fill(10, y * 200 + 95, y * 200 + 105); // 10 x 140 bar
    const out = digitFromGray({ width: 200, height: 200, data });
    const box = inkBox(out);
    expect(box.height).toBe(20);
    expect(box.width).toBeLessThanOrEqual(3);
  });

  it('when the pen is thin (strokes 2% of the digit height), then the strokes come out bright, not faint grey', () => {
    const data = new Uint8Array(300 * 300).fill(240);
    for (let y = 50; y < 250; y += 1) data.fill(20, y * 300 + 150, y * 300 + 154); // 4 x 200 stem
    for (let y = 50; y < 54; y += 1) data.fill(20, y * 300 + 90, y * 300 + 154); // 64 x 4 flag
    const out = digitFromGray({ width: 300, height: 300, data });
    expect(Math.max(...out)).toBeGreaterThanOrEqual(240); // averaged down, the stem alone would be ~100
  });

  it('when the image is tiny (a 9 px digit in 16x16), then it is enlarged to 20 px', () => {
    const data = new Uint8Array(16 * 16).fill(255);
    for (let y = 3; y < 12; y += 1) data.fill(0, y * 16 + 6, y * 16 + 10);
    const box = inkBox(digitFromGray({ width: 16, height: 16, data }));
    expect(box.height).toBe(20);
  });

  it('when a dust speck lies far from the digit, then it does not shrink the digit', () => {
    const digit = mnistDigit(0, 4);
    const photo = drawDigitPhoto(digit, { width: 200, height: 200, centreX: 100, centreY: 100, size: 120 });
    for (let y = 5; y < 9; y += 1) photo.data.fill(30, y * 200 + 185, y * 200 + 189);
    const clean = digitFromGray(
      drawDigitPhoto(digit, { width: 200, height: 200, centreX: 100, centreY: 100, size: 120 }),
    );
    expect(meanAbsDiff(digitFromGray(photo), clean)).toBeLessThan(1);
  });
});

describe('digitFromGray without a digit', () => {
  it.each([
    ['an empty image', { width: 30, height: 30, data: new Uint8Array(900) }],
    ['a uniform white page', { width: 300, height: 200, data: new Uint8Array(60_000).fill(255) }],
    [
      'a single dark speck',
      (() => {
        const data = new Uint8Array(100 * 100).fill(255);
        data[50 * 100 + 50] = 0;
        data[50 * 100 + 51] = 0;
        return { width: 100, height: 100, data };
      })(),
    ],
    [
      'blank noisy paper',
      drawDigitPhoto(new Uint8Array(784), {
        width: 120,
        height: 120,
        centreX: 60,
        centreY: 60,
        size: 80,
        paper: 235,
        noise: 5,
      }),
    ],
  ])('when given %s, then IMAGE_NO_DIGIT', (_what, image) => {
    expect(() => digitFromGray(image, { name: 'upload.png' })).toThrow(NoDigitError);
    expect(() => digitFromGray(image, { name: 'upload.png' })).toThrow(/^upload\.png: no digit found: /);
  });

  it('when the data does not match the size, then a RangeError (a caller bug, not a bad upload)', () => {
    expect(() => digitFromGray({ width: 28, height: 28, data: new Uint8Array(100) })).toThrow(RangeError);
  });
});

describe('extractDigit: the shrunk copy first', () => {
  it('when a 280x280 photo holds a large digit, then it is found in the 140x140 copy, boxed in full-size pixels, and matches the full-size search', () => {
    for (const [label, index] of [
      [3, 4],
      [5, 1],
      [9, 7],
    ] as const) {
      const photo = drawDigitPhoto(mnistDigit(label, index), {
        width: 280,
        height: 280,
        centreX: 140,
        centreY: 150,
        size: 250,
        noise: 4,
        seed: label,
      });
      const quick = extractDigit(photo);
      const full = extractDigit(photo, { coarseFirst: false });
      // The box comes from the 2x shrunk copy: even coordinates, within 2 px of the full-size box.
      expect(quick.box.x % 2).toBe(0);
      expect(quick.box.y % 2).toBe(0);
      for (const side of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(quick.box[side] - full.box[side])).toBeLessThanOrEqual(2);
      }
      expect(meanAbsDiff(quick.digit, full.digit)).toBeLessThan(4);
    }
  });

  it('when the digit in a 560x560 photo is too small for the shrunk copy, then it is searched at full size, exactly as without the copy', () => {
    const photo = drawDigitPhoto(mnistDigit(7, 3), {
      width: 560,
      height: 560,
      centreX: 300,
      centreY: 200,
      size: 120,
      noise: 3,
    });
    const quick = extractDigit(photo);
    const full = extractDigit(photo, { coarseFirst: false });
    // In the 140x140 copy the digit is about 22 px long, under MIN_COARSE_DIGIT.
    expect(quick.box).toEqual(full.box);
    expect(Array.from(quick.digit)).toEqual(Array.from(full.digit));
  });

  it('when a grainy photo has a faint shadow beside the digit, then the shrunk copy ignores it as full size does', () => {
    // Averaging 2x2 blocks halves the grain: with its own noise floor the copy took this shadow
    // for ink (box 204x152 instead of 149x120). The levels come from the full image instead.
    for (const depth of [14, 18, 22]) {
      const photo = drawDigitPhoto(mnistDigit(3, 4), {
        width: 280,
        height: 280,
        centreX: 120,
        centreY: 130,
        size: 200,
        noise: 8,
        seed: 5,
      });
      for (let y = 0; y < 280; y += 1) {
        for (let x = 0; x < 280; x += 1) {
          const r = Math.hypot(x - 215, y - 200) / 40;
          const i = y * 280 + x;
          if (r < 1) photo.data[i] = Math.max(0, (photo.data[i] as number) - Math.round(depth * (1 - r * r)));
        }
      }
      const quick = extractDigit(photo);
      const full = extractDigit(photo, { coarseFirst: false });
      for (const side of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(quick.box[side] - full.box[side])).toBeLessThanOrEqual(2);
      }
      expect(meanAbsDiff(quick.digit, full.digit)).toBeLessThan(4);
    }
  });
});
