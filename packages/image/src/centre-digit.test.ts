import { centreByMass, centreOfMass } from './centre-digit';

describe('centreByMass', () => {
  it('when a symmetric blob is placed, then its centre of mass lands within half a pixel of (14, 14)', () => {
    const blob = new Float32Array(20 * 10).fill(200);
    const com = centreOfMass(centreByMass(blob, 20, 10));
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('when the mass sits to one side of the box, then the box moves the other way, not the geometric centre', () => {
    // 20 wide: a heavy column at x = 6 and a light one at x = 19; the centre of mass is at x = 7.2.
    // Geometric centring (left edge at 4) would put it at 11.2.
    const img = new Float32Array(20 * 20);
    for (let y = 0; y < 20; y += 1) {
      img[y * 20 + 6] = 255;
      img[y * 20 + 19] = 25;
    }
    const com = centreOfMass(centreByMass(img, 20, 20));
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
  });

  it('when centring would push the image out of the field, then it is clamped inside', () => {
    const img = new Float32Array(20 * 20);
    img[0] = 255; // all mass in the top-left corner
    const out = centreByMass(img, 20, 20);
    expect(out[8 * 28 + 8]).toBe(255); // moved by the most it can: 28 - 20 = 8
  });

  it('when values are outside 0..255 or fractional, then they are rounded and clamped', () => {
    const out = centreByMass(Float32Array.from([300, -5, 127.6, 0]), 2, 2);
    expect(
      Array.from(out)
        .filter((v) => v > 0)
        .sort(),
    ).toEqual([128, 255]);
  });
});

describe('centreOfMass', () => {
  it('when the digit is empty, then the centre is NaN', () => {
    expect(centreOfMass(new Uint8Array(784))).toEqual({ x: NaN, y: NaN });
  });
});
