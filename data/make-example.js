#!/usr/bin/env node
'use strict';
/**
 * Writes data/examples/digit-6.png: a handwritten 6 as a user would upload it, black ink on white
 * paper, about 200 px tall with a margin. It is test digit 1 of the embedded MNIST test split
 * (label 6; see data/README.md), enlarged 7x with bilinear interpolation and inverted, so the
 * example is a real MNIST test digit the model never trained on.
 *
 * Usage: node data/make-example.js   (needs `npm run build`: it uses @lenet/data and @lenet/image)
 * Deterministic: the same bytes on every run. After writing, it runs the file through
 * `preprocessImage` and prints how close the 28x28 that comes back is to the original digit.
 */
const fs = require('node:fs/promises');
const path = require('node:path');
const { Jimp, PNGColorType } = require('jimp');
const { buildEmbeddedMnist } = require('@lenet/data');
const { preprocessImage } = require('@lenet/image');

const OUT_FILE = path.join(__dirname, 'examples', 'digit-6.png');
const TEST_INDEX = 1;
const LABEL = 6;
const SCALE = 7; // 28 px -> 196 px
const MARGIN = 22; // 196 + 2 * 22 = 240 px square

/** Bilinear sample of a 28x28 digit at (x, y) in pixel-centre coordinates; 0 outside. */
function sample(digit, x, y) {
  const at = (xx, yy) => (xx < 0 || yy < 0 || xx > 27 || yy > 27 ? 0 : digit[yy * 28 + xx]);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** The digit enlarged and inverted onto a white page, as RGBA. */
function render(digit) {
  const side = 28 * SCALE + 2 * MARGIN;
  const rgba = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const ink = sample(digit, (x - MARGIN + 0.5) / SCALE - 0.5, (y - MARGIN + 0.5) / SCALE - 0.5);
      const level = Math.round(255 - ink);
      rgba.set([level, level, level, 255], (y * side + x) * 4);
    }
  }
  return { width: side, height: side, data: rgba };
}

async function main() {
  const { test } = buildEmbeddedMnist();
  if (test.labels[TEST_INDEX] !== LABEL) {
    throw new Error(
      `expected test digit ${TEST_INDEX} to be a ${LABEL}, found a ${test.labels[TEST_INDEX]}: did the embedded split change?`,
    );
  }
  const digit = test.images.subarray(TEST_INDEX * 784, (TEST_INDEX + 1) * 784);
  const bitmap = render(digit);
  const png = await Jimp.fromBitmap(bitmap).getBuffer('image/png', { colorType: PNGColorType.GRAYSCALE });
  await fs.mkdir(path.dirname(OUT_FILE), { recursive: true });
  await fs.writeFile(OUT_FILE, png);

  const { digit: seen, width, height, format } = await preprocessImage(png, { name: path.basename(OUT_FILE) });
  let diff = 0;
  for (let i = 0; i < 784; i += 1) diff += Math.abs(seen[i] - digit[i]);
  const rel = path.relative(process.cwd(), OUT_FILE);
  console.log(`wrote ${rel}: ${width}x${height} ${format.toUpperCase()}, grayscale, ${png.length} bytes`);
  console.log(
    `  embedded MNIST test digit ${TEST_INDEX} (label ${LABEL}), enlarged ${SCALE}x, black on white, ${MARGIN} px margin`,
  );
  console.log(
    `  preprocessImage gives back a 28x28 within ${(diff / 784).toFixed(2)} grey levels (mean abs) of the original`,
  );
}

main().catch((error) => {
  console.error(`make-example: ${error.message}`);
  process.exitCode = 1;
});
