/**
 * Images the tests draw for themselves: MNIST digits from the `mnist` package rendered as photos of
 * paper, encoded with jimp. Test-only (excluded from the build).
 */
import { readFileSync } from 'node:fs';
import { Jimp, PNGFilterType } from 'jimp';
import type { GrayImage } from '../gray-image';

// Local copies: a global lookup per pixel is slow inside Jest's VM contexts.
const { sqrt, log, cos, sin, floor, round, min, max, imul, PI } = Math;

const digitFiles = new Map<number, number[]>();

/**
 * MNIST test digit `index` of class `label` from the `mnist` package, as 784 bytes white on black.
 * Reads only that class's JSON file (the package's `require` loads all ten).
 */
export function mnistDigit(label: number, index: number): Uint8Array {
  let data = digitFiles.get(label);
  if (data === undefined) {
    data = (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${label}.json`), 'utf8')) as { data: number[] })
      .data;
    digitFiles.set(label, data);
  }
  return Uint8Array.from(data.slice(index * 784, (index + 1) * 784), (v) => Math.round(v * 255));
}

/** Seeded PRNG (mulberry32), so noisy fixtures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PhotoOptions {
  width: number;
  height: number;
  /** Centre of the 28x28 frame in the photo. */
  centreX: number;
  centreY: number;
  /** Side of the 28x28 frame in the photo, in pixels. */
  size: number;
  /** Rotation in degrees, clockwise. */
  angle?: number;
  paper?: number;
  ink?: number;
  /** Standard deviation of Gaussian noise added to every pixel. */
  noise?: number;
  seed?: number;
}

/**
 * Renders a white-on-black 28x28 digit as dark ink on light paper (bilinear sampling, optional
 * rotation and noise): what a phone photo of a handwritten digit looks like, minus the shadows.
 */
export function drawDigitPhoto(digit: Uint8Array, o: PhotoOptions): GrayImage {
  const paper = o.paper ?? 245;
  const ink = o.ink ?? 20;
  const random = seededRandom(o.seed ?? 1);
  const gauss = () => sqrt(-2 * log(1 - random())) * cos(2 * PI * random());
  const theta = ((o.angle ?? 0) * PI) / 180;
  const [cosT, sinT] = [cos(theta), sin(theta)];
  const scale = 28 / o.size;
  const sample = (x: number, y: number): number => {
    const x0 = floor(x);
    const y0 = floor(y);
    const at = (xx: number, yy: number) =>
      xx < 0 || yy < 0 || xx > 27 || yy > 27 ? 0 : (digit[yy * 28 + xx] as number);
    const fx = x - x0;
    const fy = y - y0;
    return (
      (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
      (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    );
  };
  const data = new Uint8Array(o.width * o.height);
  for (let y = 0; y < o.height; y += 1) {
    for (let x = 0; x < o.width; x += 1) {
      // Inverse mapping: photo pixel centre to digit coordinates (pixel centres at integers).
      const dx = x + 0.5 - o.centreX;
      const dy = y + 0.5 - o.centreY;
      const u = (cosT * dx + sinT * dy) * scale + 14 - 0.5;
      const v = (-sinT * dx + cosT * dy) * scale + 14 - 0.5;
      const coverage = u > -1 && v > -1 && u < 28 && v < 28 ? sample(u, v) / 255 : 0;
      const level = paper + (ink - paper) * coverage + (o.noise ? o.noise * gauss() : 0);
      data[y * o.width + x] = max(0, min(255, round(level)));
    }
  }
  return { width: o.width, height: o.height, data };
}

/** Grey to opaque RGBA; `alpha` per pixel (0..255) when given. */
export function grayToRgba(gray: GrayImage, alpha?: (index: number) => number): Uint8Array {
  const rgba = new Uint8Array(gray.width * gray.height * 4);
  gray.data.forEach((v, i) => rgba.set([v, v, v, alpha ? alpha(i) : 255], i * 4));
  return rgba;
}

function jimpFrom(width: number, height: number, rgba: Uint8Array) {
  // fromBitmap copies `data.buffer` whole, so hand it a buffer of its own.
  return Jimp.fromBitmap({ width, height, data: new Uint8Array(rgba) });
}

/** Encodes RGBA pixels in one of jimp's formats. */
export async function encodeRgba(
  width: number,
  height: number,
  rgba: Uint8Array,
  mime: 'image/png' | 'image/jpeg' | 'image/bmp' | 'image/gif' | 'image/tiff',
  quality = 90,
): Promise<Buffer> {
  const image = jimpFrom(width, height, rgba);
  if (mime === 'image/jpeg') return image.getBuffer(mime, { quality });
  // Fast settings: jimp's defaults (level 9, every filter tried) take seconds under Jest.
  if (mime === 'image/png') return image.getBuffer(mime, { deflateLevel: 1, filterType: PNGFilterType.NONE });
  return image.getBuffer(mime);
}

/** Encodes a grey image (opaque) in one of jimp's formats. */
export function encodeGray(gray: GrayImage, mime: Parameters<typeof encodeRgba>[3], quality = 90): Promise<Buffer> {
  return encodeRgba(gray.width, gray.height, grayToRgba(gray), mime, quality);
}

/**
 * Inserts an APP1 Exif segment holding only an Orientation tag right after a JPEG's SOI marker, as
 * a phone camera would write it (big-endian TIFF header, one IFD entry).
 */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Buffer {
  const tiff = [
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(tiff)]);
  const length = payload.length + 2;
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, length >> 8, length & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** Mean absolute difference between two byte arrays of the same length, in grey levels. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

/** A 28x28 MNIST-sized digit drawn as text, for tests that need a shape they can read: '#' = 255. */
export function digitFromArt(rows: string[]): Uint8Array {
  const out = new Uint8Array(784);
  rows.forEach((row, y) => [...row].forEach((c, x) => (out[y * 28 + x] = c === '#' ? 255 : c === '+' ? 128 : 0)));
  return out;
}

/**
 * Mean absolute difference between two 28x28 digits, the smaller over shifts of up to one pixel each
 * way: two decoders can round a centre of mass to neighbouring pixels and still see the same digit.
 */
export function shiftedMeanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let best = Number.POSITIVE_INFINITY;
  for (let dy = -1; dy <= 1; dy += 1) {
    for (let dx = -1; dx <= 1; dx += 1) {
      let sum = 0;
      for (let y = 0; y < 28; y += 1) {
        for (let x = 0; x < 28; x += 1) {
          const [sx, sy] = [x + dx, y + dy];
          const other = sx < 0 || sy < 0 || sx > 27 || sy > 27 ? 0 : (b[sy * 28 + sx] as number);
          sum += Math.abs((a[y * 28 + x] as number) - other);
        }
      }
      best = Math.min(best, sum / 784);
    }
  }
  return best;
}

/**
 * A big-endian TIFF with two IFDs and no pixel data: a 4x4 first page at offset 8, pointing to a
 * 10000x10000 second page at offset 38, whose next-IFD offset is `secondNext` (0 ends the chain).
 *
 * @example
 * twoPageTiff(0).length; // 68
 */
export function twoPageTiff(secondNext = 0): Uint8Array {
  const be16 = (v: number) => [v >> 8, v & 0xff];
  const be32 = (v: number) => [...be16(v >>> 16), ...be16(v & 0xffff)];
  // Two tags, ImageWidth (256) and ImageLength (257), each a LONG, then the next IFD's offset.
  const ifd = (w: number, h: number, next: number) => [
    ...[...be16(2), ...be16(256), ...be16(4), ...be32(1), ...be32(w)],
    ...[...be16(257), ...be16(4), ...be32(1), ...be32(h), ...be32(next)],
  ];
  return Uint8Array.from([0x4d, 0x4d, 0, 42, ...be32(8), ...ifd(4, 4, 38), ...ifd(10_000, 10_000, secondNext)]);
}
