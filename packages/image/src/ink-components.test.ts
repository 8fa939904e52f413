import type { GrayImage } from './gray-image';
import { findInk, renderInk } from './ink-components';

const identity = Uint8Array.from({ length: 256 }, (_, v) => v);

/** Draws filled rectangles [x, y, w, h, level] on a black canvas. */
function canvas(width: number, height: number, rects: Array<[number, number, number, number, number]>): GrayImage {
  const data = new Uint8Array(width * height);
  for (const [x, y, w, h, v] of rects)
    for (let yy = y; yy < y + h; yy += 1) data.fill(v, yy * width + x, yy * width + x + w);
  return { width, height, data };
}

describe('findInk', () => {
  it('when a stroke and a far-away speck are present, then the box covers the stroke only', () => {
    const image = canvas(200, 200, [
      [50, 40, 20, 100, 255],
      [190, 5, 3, 3, 255],
    ]);
    expect(findInk(image, identity)?.box).toEqual({ x: 50, y: 40, width: 20, height: 100 });
  });

  it('when a digit is written in separate strokes (a "5" with a detached bar), then all strokes are kept', () => {
    const image = canvas(100, 100, [
      [30, 20, 40, 8, 255],
      [30, 32, 8, 50, 255],
    ]);
    expect(findInk(image, identity)?.box).toEqual({ x: 30, y: 20, width: 40, height: 62 });
  });

  it('when strokes touch only diagonally, then they are one component', () => {
    const image = canvas(10, 10, [
      [1, 1, 1, 1, 255],
      [2, 2, 1, 1, 255],
    ]);
    const region = findInk(image, identity);
    expect(region?.runs.y).toEqual([1, 2]);
  });

  it('when a faint fragment lies just beside the strokes (as in some MNIST digits), then it is kept', () => {
    const image = canvas(28, 28, [
      [10, 4, 4, 20, 255],
      [15, 2, 1, 1, 40],
    ]);
    expect(findInk(image, identity)?.box).toEqual({ x: 10, y: 2, width: 6, height: 22 });
  });

  it('when a single faint noise pixel lies near the strokes of a large image, then it is too light to count', () => {
    const image = canvas(400, 400, [
      [100, 100, 30, 200, 255],
      [135, 95, 1, 1, 20],
    ]);
    expect(findInk(image, identity)?.box).toEqual({ x: 100, y: 100, width: 30, height: 200 });
  });

  it('when nothing has ink, then there is no region', () => {
    expect(findInk(canvas(20, 20, []), identity)).toBeUndefined();
  });
});

describe('renderInk', () => {
  it('when specks lie inside the box, then they are left out of the crop', () => {
    // An "L" of two strokes, and a speck far too light to count sitting inside their box.
    const image = canvas(300, 300, [
      [0, 0, 10, 290, 255],
      [0, 280, 290, 10, 255],
      [150, 150, 1, 1, 30],
    ]);
    const lut = identity;
    const region = findInk(image, lut);
    if (region === undefined) throw new Error('expected a region');
    const crop = renderInk(image, lut, region);
    expect(region.box).toEqual({ x: 0, y: 0, width: 290, height: 290 });
    expect(crop[150 * 290 + 150]).toBe(0);
    expect(crop[5 * 290 + 5]).toBe(255);
  });
});
