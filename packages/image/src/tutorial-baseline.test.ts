import { tutorialBaselineInput } from './tutorial-baseline';

describe('tutorialBaselineInput', () => {
  it('when the image is white paper, then every input is 0 (inverted, not normalised)', () => {
    const input = tutorialBaselineInput({ width: 300, height: 400, data: new Uint8Array(120_000).fill(255) });
    expect(input).toHaveLength(1024);
    expect(input.every((v) => v === 0)).toBe(true);
  });

  it('when a 64x64 image has black ink in its left half, then the whole image is squashed to 32x32 without cropping', () => {
    const data = new Uint8Array(64 * 64).fill(255);
    for (let y = 0; y < 64; y += 1) data.fill(0, y * 64, y * 64 + 32);
    const input = tutorialBaselineInput({ width: 64, height: 64, data });
    expect([input[0], input[15], input[16], input[31], input[31 * 32]]).toEqual([1, 1, 0, 0, 1]);
  });

  it('when the image is not square, then its aspect ratio is lost (stretched to 32x32)', () => {
    const data = new Uint8Array(16 * 64).fill(0); // 16 wide, 64 high, all ink
    expect(tutorialBaselineInput({ width: 16, height: 64, data }).every((v) => v === 1)).toBe(true);
  });
});
