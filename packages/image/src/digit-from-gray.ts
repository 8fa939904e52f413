/**
 * The MNIST recipe, applied to any grey image: find the ink, crop to it, scale its longer side to
 * 20 pixels keeping the aspect ratio, and centre it by mass in a 28x28 field, white on black.
 * Pure typed-array code: runs in worker threads and bundles for the browser.
 */
import { assertImageShape, type GrayImage } from './gray-image';
import { centreByMass } from './centre-digit';
import { NoDigitError } from './errors';
import { findInk, type InkBox, renderInk } from './ink-components';
import { inkLut, type InkLevels, measureInk } from './ink-levels';
import { resample } from './resample';
import { shrinkGray } from './shrink-gray';

/** Longer side of the digit inside the 28x28 field, as in MNIST. */
export const DIGIT_BOX_SIZE = 20;
/** The brightest quarter of a digit's inked pixels are its stroke cores... */
const CORE_QUANTILE = 0.75;
/** ...which should be at least this bright: in MNIST they are for 90% of digits (median 253). */
export const STROKE_CORE_LEVEL = 240;
/** Ink narrower and shorter than this many pixels is a speck, not a digit. */
export const MIN_DIGIT_EXTENT = 4;

/**
 * The digit is first looked for in a copy shrunk by the whole factor `floor(longer side / 140)`, so
 * its longer side is 140-209 px (a 280x280 upload is searched at 140x140, a quarter of the pixels
 * for every later step)...
 */
export const COARSE_LONG_SIDE = 140;
/**
 * ...and taken from that copy when its box there is at least this long: it ends 20 px long, so
 * averaging it down from 56 px or from 112 px gives the same digit to within a grey level or two.
 * A smaller digit, or none found in the copy, is looked for again at full size.
 */
export const MIN_COARSE_DIGIT = 56;

/** Options for {@link extractDigit}. */
export interface ExtractDigitOptions {
  /** File name used in error messages; defaults to "image". */
  name?: string;
  /** Look in the shrunk copy first ({@link COARSE_LONG_SIDE}); default true. False searches at full size only. */
  coarseFirst?: boolean;
}

/** The 28x28 digit and how it was found, for pages that want to show the steps. */
export interface DigitExtraction {
  /** 784 bytes, white digit on black, what the model sees. */
  digit: Uint8Array;
  /** Where the ink was found in the input image. */
  box: InkBox;
  /** Polarity and levels used to separate ink from background. */
  levels: InkLevels;
}

/**
 * Finds the digit in a grey image and returns it MNIST-style with what was decided on the way:
 * 1. polarity, background and contrast stretch from the histogram ({@link measureInk});
 * 2. strokes as connected components, specks dropped, bounding box ({@link findInk});
 * 3. the box scaled so its longer side is 20 px (area average down, bilinear up), and soft strokes
 *    brightened to MNIST's level ({@link STROKE_CORE_LEVEL});
 * 4. placed in 28x28 with its centre of mass at (14, 14).
 * Steps 2-4 run first on a copy shrunk by a whole factor to {@link COARSE_LONG_SIDE}-209 px ({@link shrinkGray}),
 * with the levels of step 1 from the full image, and again at full size only when the digit there is
 * shorter than {@link MIN_COARSE_DIGIT} px or not found.
 * An MNIST digit (white on black, 20 px box, centred) comes out within a few grey levels of itself.
 *
 * @throws NoDigitError (`IMAGE_NO_DIGIT`) when there is no ink, too little contrast, or only specks
 * @example
 * const gray = await decodeImage(readFileSync('data/examples/digit-6.png'));
 * const { digit, box, levels } = extractDigit(gray, { name: 'digit-6.png' });
 * digit.length;    // 784
 * levels.darkInk;  // true: black ink on white paper was inverted
 * box;             // { x: 75, y: 33, width: 104, height: 146 }
 */
export function extractDigit(gray: GrayImage, options: ExtractDigitOptions = {}): DigitExtraction {
  assertImageShape(gray, 1, 'extractDigit: gray');
  const name = options.name ?? 'image';
  // Levels always from the full image: averaging blocks smooths the paper's grain, so the shrunk
  // copy's own noise floor would be lower and let faint shading in as ink that full size ignores.
  const levels = measureInk(gray, name);
  const factor = Math.floor(Math.max(gray.width, gray.height) / COARSE_LONG_SIDE);
  if (factor >= 2 && options.coarseFirst !== false) {
    const coarse = extractAtCoarseScale(gray, factor, levels, name);
    if (coarse !== undefined) return coarse;
  }
  return extractWithLevels(gray, levels, name);
}

/** The digit from `gray` shrunk by `factor`, its box in `gray`'s pixels; undefined when too small or not found there. */
function extractAtCoarseScale(
  gray: GrayImage,
  factor: number,
  levels: InkLevels,
  name: string,
): DigitExtraction | undefined {
  let found: DigitExtraction;
  try {
    found = extractWithLevels(shrinkGray(gray, factor), levels, name);
  } catch (error) {
    if (error instanceof NoDigitError) return undefined;
    throw error;
  }
  const { box } = found;
  if (Math.max(box.width, box.height) < MIN_COARSE_DIGIT) return undefined;
  const x = box.x * factor;
  const y = box.y * factor;
  const width = Math.min(gray.width - x, box.width * factor);
  const height = Math.min(gray.height - y, box.height * factor);
  return { ...found, box: { x, y, width, height } };
}

/** Steps 2-4 of {@link extractDigit} with the polarity and levels already measured. */
function extractWithLevels(gray: GrayImage, levels: InkLevels, name: string): DigitExtraction {
  const lut = inkLut(levels);
  const region = findInk(gray, lut);
  if (region === undefined) {
    throw new NoDigitError(`${name}: no digit found: no pixel stands out from the background noise`);
  }
  const { box } = region;
  if (Math.max(box.width, box.height) < MIN_DIGIT_EXTENT) {
    throw new NoDigitError(
      `${name}: no digit found: expected ink at least ${MIN_DIGIT_EXTENT} pixels across, found ${box.width}x${box.height}`,
    );
  }
  const crop = renderInk(gray, lut, region);
  const scale = DIGIT_BOX_SIZE / Math.max(box.width, box.height);
  const width = Math.min(DIGIT_BOX_SIZE, Math.max(1, Math.round(box.width * scale)));
  const height = Math.min(DIGIT_BOX_SIZE, Math.max(1, Math.round(box.height * scale)));
  const small = resample(crop, box.width, box.height, width, height);
  brightenStrokes(small);
  return { digit: centreByMass(small, width, height), box, levels };
}

/**
 * The 28x28 digit alone: {@link extractDigit} without the details.
 *
 * @example
 * digitFromGray({ width: 28, height: 28, data: mnistDigit }); // Uint8Array(784), within a few grey levels of mnistDigit
 */
export function digitFromGray(gray: GrayImage, options: ExtractDigitOptions = {}): Uint8Array {
  return extractDigit(gray, options).digit;
}

/**
 * Brightens soft strokes: a photo averaged down to 20 px (blur, thin pen, pencil) can have grey
 * cores where MNIST's are white, because MNIST digits were binary before anti-aliasing. The
 * brightest quarter of the inked pixels is brought up to {@link STROKE_CORE_LEVEL}; 90% of MNIST
 * digits are already there and pass unchanged. Never darkens.
 */
function brightenStrokes(image: Float32Array): void {
  // Below 0.5 a pixel rounds to 0: not ink the model will see. A typed array sorts numerically in
  // native code, without the comparator calls of Array.prototype.sort (a few % of a worker's time).
  const inked = image.filter((v) => v >= 0.5).sort();
  const reference = inked[Math.floor(CORE_QUANTILE * (inked.length - 1))] ?? 0;
  if (reference <= 0 || reference >= STROKE_CORE_LEVEL) return;
  const gain = STROKE_CORE_LEVEL / reference;
  for (let i = 0; i < image.length; i += 1) image[i] = Math.min(255, (image[i] as number) * gain);
}
