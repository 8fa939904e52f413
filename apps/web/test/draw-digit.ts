/** Digits from the test split, put on the page the two ways a person would: drawn, or as a file. */
import { Jimp } from 'jimp';
import type { Locator, Page } from 'playwright-core';

const SIZE = 28;
/** Pixels at least this bright are ink worth a stroke. */
const INK = 128;

/**
 * Draws a 28x28 MNIST digit on the canvas with the mouse: one stroke per horizontal run of bright
 * pixels, each pixel mapped to the middle of its cell on the canvas as laid out on the page.
 *
 * @example
 * await drawDigit(page, page.locator('#pad'), test.images.subarray(0, 784)); // 40 strokes or so
 */
export async function drawDigit(page: Page, canvas: Locator, digit: Uint8Array): Promise<number> {
  const box = await canvas.boundingBox();
  if (box === null) throw new Error('drawDigit: expected the canvas to be visible, found no bounding box');
  const at = (col: number, row: number) =>
    [box.x + ((col + 0.5) * box.width) / SIZE, box.y + ((row + 0.5) * box.height) / SIZE] as const;
  let strokes = 0;
  for (let row = 0; row < SIZE; row += 1) {
    let col = 0;
    while (col < SIZE) {
      if ((digit[row * SIZE + col] ?? 0) < INK) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < SIZE && (digit[row * SIZE + col] ?? 0) >= INK) col += 1;
      const [x0, y0] = at(start, row);
      const [x1, y1] = at(col - 1, row);
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      await page.mouse.move(x1, y1, { steps: Math.max(1, col - 1 - start) });
      await page.mouse.up();
      strokes += 1;
    }
  }
  return strokes;
}

/**
 * The digit as a scan would show it: black ink on white paper, `scale` times larger, with a margin,
 * encoded as PNG.
 *
 * @example
 * const png = await digitAsPng(test.images.subarray(0, 784)); // Buffer of a 320x320 PNG
 */
export async function digitAsPng(digit: Uint8Array, scale = 8, margin = 48): Promise<Buffer> {
  const side = SIZE * scale + 2 * margin;
  const image = new Jimp({ width: side, height: side, color: 0xffffffff });
  for (let y = 0; y < SIZE * scale; y += 1) {
    for (let x = 0; x < SIZE * scale; x += 1) {
      const ink = digit[Math.floor(y / scale) * SIZE + Math.floor(x / scale)] ?? 0;
      const offset = ((y + margin) * side + x + margin) * 4;
      image.bitmap.data.fill(255 - ink, offset, offset + 3);
    }
  }
  return image.getBuffer('image/png');
}
