import type { Orientation } from './exif-orientation';
import { orientGray } from './orient-gray';

// Upright 3 wide x 2 high:
//   1 2 3
//   4 5 6
const upright = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };

// How a camera would have stored `upright` for each orientation tag (the inverse transforms).
const stored: Record<Orientation, { width: number; height: number; data: number[] }> = {
  1: { width: 3, height: 2, data: [1, 2, 3, 4, 5, 6] },
  2: { width: 3, height: 2, data: [3, 2, 1, 6, 5, 4] },
  3: { width: 3, height: 2, data: [6, 5, 4, 3, 2, 1] },
  4: { width: 3, height: 2, data: [4, 5, 6, 1, 2, 3] },
  5: { width: 2, height: 3, data: [1, 4, 2, 5, 3, 6] },
  6: { width: 2, height: 3, data: [3, 6, 2, 5, 1, 4] },
  7: { width: 2, height: 3, data: [6, 3, 5, 2, 4, 1] },
  8: { width: 2, height: 3, data: [4, 1, 5, 2, 6, 3] },
};

describe('orientGray', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8] as const)(
    'when the stored image has orientation %i, then it comes out upright',
    (orientation) => {
      const s = stored[orientation];
      const out = orientGray({ width: s.width, height: s.height, data: Uint8Array.from(s.data) }, orientation);
      expect({ width: out.width, height: out.height, data: Array.from(out.data) }).toEqual({
        width: 3,
        height: 2,
        data: [1, 2, 3, 4, 5, 6],
      });
    },
  );

  it('when the orientation is 1, then the same image is returned without copying', () => {
    expect(orientGray(upright, 1)).toBe(upright);
  });

  it('when orientation 6 turns a landscape image clockwise, then it is portrait with its bottom-left pixel at the top-left', () => {
    expect(Array.from(orientGray(upright, 6).data)).toEqual([4, 1, 5, 2, 6, 3]);
  });
});
