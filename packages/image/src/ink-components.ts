/**
 * Finds the digit's strokes: connected groups of ink pixels, with specks (dust, JPEG blocks, noise
 * that survived the threshold) dropped so they cannot stretch the bounding box. Works on runs of
 * ink along each row rather than on pixels, so a 12-megapixel photo needs a few thousand records,
 * not a 48 MB label image.
 */
import type { GrayImage } from './gray-image';

/** A rectangle in pixel coordinates. */
export interface InkBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The kept strokes: their bounding box and their runs (row `y`, columns `x0` up to `x1` excluded). */
export interface InkRegion {
  box: InkBox;
  runs: { y: number[]; x0: number[]; x1: number[] };
}

/** A component with at least this share of the heaviest component's ink is part of the digit. */
export const STROKE_FRACTION = 0.02;
/** Lighter components down to this share count when near the strokes (see `selectStrokes`). */
export const FRAGMENT_FRACTION = 0.0005;
/** "Near" is within this share of the strokes' box's longer side. */
export const NEAR_FRACTION = 0.1;

/**
 * Labels the 8-connected components of the pixels whose ink (`lut[level]`) is above 0, weighs each
 * by its total ink, and keeps the digit's strokes and fragments (see `selectStrokes`), so a digit
 * written in separate strokes (a "5", a "4") stays whole while specks go.
 *
 * @param lut - ink strength per grey level, from `inkLut`
 * @returns `undefined` when no pixel has ink
 * @example
 * const gray = await decodeImage(readFileSync('data/examples/digit-6.png'));
 * findInk(gray, inkLut(measureInk(gray)))?.box; // { x: 75, y: 33, width: 104, height: 146 }
 */
export function findInk(image: GrayImage, lut: Uint8Array): InkRegion | undefined {
  const { width: w, height: h, data } = image;
  const ry: number[] = [];
  const rx0: number[] = [];
  const rx1: number[] = [];
  const mass: number[] = [];
  const parent: number[] = [];
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) [i, parent[i]] = [parent[i] as number, root];
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < h; y += 1) {
    const row = y * w;
    const rowStart = ry.length;
    let x = 0;
    while (x < w) {
      const start = x;
      let ink = 0;
      while (x < w) {
        const v = lut[data[row + x] as number] as number;
        if (v === 0) break;
        ink += v;
        x += 1;
      }
      if (x === start) {
        x += 1;
        continue;
      }
      parent.push(ry.length);
      ry.push(y);
      rx0.push(start);
      rx1.push(x);
      mass.push(ink);
    }
    // Runs of the previous row touching this run, diagonals included, are the same component.
    let j = prevStart;
    for (let r = rowStart; r < ry.length; r += 1) {
      while (j < prevEnd && (rx1[j] as number) < (rx0[r] as number)) j += 1;
      for (let k = j; k < prevEnd && (rx0[k] as number) <= (rx1[r] as number); k += 1) union(r, k);
    }
    prevStart = rowStart;
    prevEnd = ry.length;
  }
  if (ry.length === 0) return undefined;

  const components = new Map<number, InkBox & { mass: number }>();
  for (let r = 0; r < ry.length; r += 1) {
    const root = find(r);
    const [y, x0, x1] = [ry[r] as number, rx0[r] as number, rx1[r] as number];
    const c = components.get(root);
    if (c === undefined) {
      components.set(root, { x: x0, y, width: x1 - x0, height: 1, mass: mass[r] as number });
    } else {
      c.mass += mass[r] as number;
      const right = Math.max(c.x + c.width, x1);
      c.x = Math.min(c.x, x0);
      c.width = right - c.x;
      c.height = y + 1 - c.y; // runs come in row order, so the top is already known
    }
  }
  const kept = new Set(selectStrokes(components));
  const runs: InkRegion['runs'] = { y: [], x0: [], x1: [] };
  for (let r = 0; r < ry.length; r += 1) {
    if (!kept.has(find(r))) continue;
    runs.y.push(ry[r] as number);
    runs.x0.push(rx0[r] as number);
    runs.x1.push(rx1[r] as number);
  }
  return { box: boundingBox([...kept].map((root) => components.get(root) as InkBox)), runs };
}

function boundingBox(boxes: InkBox[]): InkBox {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * Chooses which components are the digit: the strokes (at least {@link STROKE_FRACTION} of the
 * heaviest component's ink), plus fragments (at least {@link FRAGMENT_FRACTION}) lying within
 * {@link NEAR_FRACTION} of the strokes' box. MNIST digits have such fragments, down to single faint
 * pixels detached from the stroke (about 0.1% of its ink), and dropping them would change the box; noise
 * pixels that survive the background threshold weigh far less and are dropped anywhere.
 */
function selectStrokes(components: Map<number, InkBox & { mass: number }>): number[] {
  let heaviest = 0;
  for (const c of components.values()) heaviest = Math.max(heaviest, c.mass);
  const all = [...components.entries()];
  const strokes = all.filter(([, c]) => c.mass >= STROKE_FRACTION * heaviest);
  const box = boundingBox(strokes.map(([, c]) => c));
  const margin = NEAR_FRACTION * Math.max(box.width, box.height);
  const near = (c: InkBox) =>
    c.x < box.x + box.width + margin &&
    c.x + c.width > box.x - margin &&
    c.y < box.y + box.height + margin &&
    c.y + c.height > box.y - margin;
  return all
    .filter(([, c]) => c.mass >= STROKE_FRACTION * heaviest || (c.mass >= FRAGMENT_FRACTION * heaviest && near(c)))
    .map(([root]) => root);
}

/**
 * Cuts the region's box out of the image as ink strengths (0 = background), drawing only the kept
 * runs, so specks inside the box are blank too.
 *
 * @example
 * const crop = renderInk(gray, lut, region); // Uint8Array(region.box.width * region.box.height)
 */
export function renderInk(image: GrayImage, lut: Uint8Array, region: InkRegion): Uint8Array {
  const { box, runs } = region;
  const out = new Uint8Array(box.width * box.height);
  for (let r = 0; r < runs.y.length; r += 1) {
    const y = runs.y[r] as number;
    const src = y * image.width;
    const dst = (y - box.y) * box.width - box.x;
    for (let x = runs.x0[r] as number; x < (runs.x1[r] as number); x += 1) {
      out[dst + x] = lut[image.data[src + x] as number] as number;
    }
  }
  return out;
}
