/**
 * Decides which grey levels are ink and how strongly: polarity, background level and the contrast
 * stretch that turns a photo of a dark digit on paper into a white digit on exact black.
 */
import { NoDigitError } from './errors';
import type { GrayImage } from './gray-image';
import { type Histogram, histogram, otsuThreshold, percentile, reversed } from './histogram';

/** Levels measured on an image, all in ink polarity (ink bright, background dark). */
export interface InkLevels {
  /** True when the ink was darker than the background (a photo or scan of paper) and is inverted. */
  darkInk: boolean;
  /** Otsu's threshold between background and ink. */
  threshold: number;
  /** Median level of the image border, taken to be background. */
  background: number;
  /** Levels at or below this become 0: background plus its noise. */
  low: number;
  /** Levels at or above this become 255: the 90th percentile of the ink class. */
  high: number;
}

/** Least contrast between background and ink that counts as a digit rather than paper texture. */
export const MIN_INK_CONTRAST = 32;
/** How far above the background median, in units of its 95th-percentile spread, noise can reach. */
const NOISE_SPREADS = 2;
/** Share of the ink class left below full white, so strokes saturate like MNIST's do. */
const INK_PERCENTILE = 0.9;

/** Width of the border band whose pixels are taken as background: 1/32 of the shorter side, at least 1. */
export function borderBand(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 32));
}

function borderHistogram(image: GrayImage): Histogram {
  const { width: w, height: h, data } = image;
  const band = borderBand(w, h);
  const counts = new Float64Array(256);
  const count = (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const v = data[i] as number;
      counts[v] = (counts[v] as number) + 1;
    }
  };
  for (let y = 0; y < h; y += 1) {
    const row = y * w;
    if (y < band || y >= h - band) {
      count(row, row + w);
    } else {
      count(row, row + Math.min(band, w));
      count(row + Math.max(band, w - band), row + w);
    }
  }
  return counts;
}

/**
 * Measures the ink in a grey image:
 * - Otsu's threshold splits the levels into two classes; the border band is assumed to be
 *   background (MNIST digits have empty borders, and so does a photo of a digit on a page), so if
 *   the border's median is above the threshold, the background is light and the ink is dark: invert.
 * - Background noise (JPEG artefacts, paper grain, mild shading) is measured on the border: levels up
 *   to its median plus twice its 95th-percentile spread (capped at the threshold) become 0. A clean
 *   MNIST digit has an all-zero border, so `low` is 0 and its grey edges survive untouched.
 * - `high` is the 90th percentile of the ink class, so stroke centres saturate to 255.
 *
 * @throws NoDigitError (`IMAGE_NO_DIGIT`) when the image is uniform or its contrast is below {@link MIN_INK_CONTRAST}
 * @example
 * measureInk(await decodeImage(readFileSync('data/examples/digit-6.png')));
 * // { darkInk: true, threshold: 102, background: 0, low: 0, high: 253 }
 */
export function measureInk(image: GrayImage, name = 'image'): InkLevels {
  const all = histogram(image.data);
  const split = otsuThreshold(all);
  if (split === undefined) {
    throw new NoDigitError(`${name}: no digit found: every pixel is ${image.data[0]}`);
  }
  const border = borderHistogram(image);
  const darkInk = (percentile(border, 0.5) as number) > split;
  // In ink polarity the classes are `<= threshold` (background) and `> threshold` (ink).
  const inkAll = darkInk ? reversed(all) : all;
  const inkBorder = darkInk ? reversed(border) : border;
  const threshold = darkInk ? 254 - split : split;

  const background = percentile(inkBorder, 0.5) as number;
  const spread = (percentile(inkBorder, 0.95) as number) - background;
  const low = Math.min(background + NOISE_SPREADS * spread, threshold);
  const high = percentile(inkAll, INK_PERCENTILE, threshold + 1) as number;
  if (high - background < MIN_INK_CONTRAST) {
    const level = (v: number) => (darkInk ? 255 - v : v);
    throw new NoDigitError(
      `${name}: no digit found: expected ink at least ${MIN_INK_CONTRAST} grey levels away from the background, found background ${level(background)} and ink ${level(high)}`,
    );
  }
  return { darkInk, threshold, background, low, high };
}

/**
 * Lookup table from a grey level to ink strength 0..255 (invert if needed, then stretch
 * `low..high` to `0..255`).
 *
 * @example
 * const lut = inkLut({ darkInk: true, threshold: 120, background: 10, low: 20, high: 220 });
 * lut[255]; // 0 (white paper)
 * lut[35];  // 255 (dark ink)
 */
export function inkLut(levels: InkLevels): Uint8Array {
  const { darkInk, low, high } = levels;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v += 1) {
    const ink = darkInk ? 255 - v : v;
    lut[v] = Math.round(Math.min(255, Math.max(0, ((ink - low) * 255) / (high - low))));
  }
  return lut;
}
