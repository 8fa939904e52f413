#!/usr/bin/env node
'use strict';
/**
 * Makes an "upload-style" evaluation set: MNIST test digits drawn the way users send them, dark ink
 * on light paper, 150-400 px, off-centre, slightly rotated, with noise and paper shading, saved as
 * JPEG (quality 60-90) or as PNG with a transparent background. It measures what the image
 * preprocessing must undo; compare `preprocessImage` with the tutorial's `tutorialBaselineInput`.
 *
 * Usage: node data/make-upload-eval.js [--out data/upload-eval] [--count 1000] [--seed 1]
 *   (needs `npm run build`: it uses @lenet/data's dist)
 *
 * Digits: the first `count` digits of the embedded MNIST test split (`buildEmbeddedMnist().test`,
 * already shuffled with a fixed seed, see data/README.md), so none was seen in training.
 * Everything else comes from a mulberry32 generator seeded with `--seed`, drawn in a fixed order
 * per image: the same arguments give the same files, byte for byte.
 *
 * Writes `upload-NNNN.jpg|png` and `labels.json` ({ "upload-0000.png": 7, ... }); files of an
 * earlier run with that naming are removed first.
 */
const fs = require('node:fs/promises');
const path = require('node:path');
const { Jimp } = require('jimp');
const { buildEmbeddedMnist, mulberry32 } = require('@lenet/data');

const USAGE = 'usage: node data/make-upload-eval.js [--out data/upload-eval] [--count 1000] [--seed 1]';

function parseArgs(argv) {
  const options = { out: path.join(__dirname, 'upload-eval'), count: 1000, seed: 1 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!['--out', '--count', '--seed'].includes(flag))
      throw new Error(`expected --out, --count or --seed, found ${JSON.stringify(flag)}\n${USAGE}`);
    if (value === undefined) throw new Error(`expected a value after ${flag}, found none\n${USAGE}`);
    i += 1;
    if (flag === '--out') options.out = path.resolve(value);
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === '--count' ? 1 : 0))
        throw new Error(
          `expected ${flag} to be a ${flag === '--count' ? 'positive' : 'non-negative'} integer, found ${JSON.stringify(value)}`,
        );
      options[flag.slice(2)] = n;
    }
  }
  return options;
}

/** Bilinear sample of a 28x28 digit (0..255) at (x, y), pixel centres at integers; 0 outside. */
function sample(digit, x, y) {
  if (x <= -1 || y <= -1 || x >= 28 || y >= 28) return 0;
  const at = (xx, yy) => (xx < 0 || yy < 0 || xx > 27 || yy > 27 ? 0 : digit[yy * 28 + xx]);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  return (
    (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
    (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
  );
}

/**
 * Corners of the area a 28x28 digit's ink covers once drawn with bilinear interpolation (one pixel
 * beyond the outermost ink pixel centres), relative to the frame centre.
 */
function inkCorners(digit) {
  let [left, top, right, bottom] = [28, 28, -1, -1];
  for (let i = 0; i < 784; i += 1) {
    if (digit[i] === 0) continue;
    const [x, y] = [i % 28, Math.floor(i / 28)];
    [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  }
  return [
    [left - 1, top - 1],
    [right + 1, top - 1],
    [left - 1, bottom + 1],
    [right + 1, bottom + 1],
  ].map(([x, y]) => [x - 13.5, y - 13.5]);
}

/** Draws every random choice for one image, in a fixed order. */
function chooseParams(random, digit) {
  const uniform = (lo, hi) => lo + (hi - lo) * random();
  const width = Math.floor(uniform(150, 401));
  const height = Math.floor(uniform(150, 401));
  const angle = uniform(-10, 10);
  // The digit's 20 px MNIST box becomes 35-75% of the shorter side; its 28 px frame scales with it.
  const boxSide = uniform(0.35, 0.75) * Math.min(width, height);
  const frame = (boxSide * 28) / 20;
  // Anywhere (off-centre) as long as the rotated ink box stays 3 px inside the image.
  const theta = (angle * Math.PI) / 180;
  const corners = inkCorners(digit).map(([u, v]) => [
    ((Math.cos(theta) * u - Math.sin(theta) * v) * frame) / 28,
    ((Math.sin(theta) * u + Math.cos(theta) * v) * frame) / 28,
  ]);
  const place = (size, offsets) => {
    const [lo, hi] = [3 - Math.min(...offsets), size - 4 - Math.max(...offsets)];
    const t = random();
    return lo <= hi ? lo + (hi - lo) * t : size / 2;
  };
  const centreX = place(
    width,
    corners.map(([dx]) => dx),
  );
  const centreY = place(
    height,
    corners.map(([, dy]) => dy),
  );
  const format = random() < 0.5 ? 'jpeg' : 'png';
  const quality = Math.floor(uniform(60, 91));
  const paper = uniform(205, 250);
  const ink = uniform(10, 70);
  const tint = [uniform(-6, 6), uniform(-6, 6), uniform(-6, 6)];
  const shadeAmount = uniform(0, 20);
  const shadeAngle = uniform(0, 2 * Math.PI);
  const noise = uniform(1, 6);
  const noiseSeed = Math.floor(random() * 2 ** 32);
  return {
    width,
    height,
    angle,
    frame,
    centreX,
    centreY,
    format,
    quality,
    paper,
    ink,
    tint,
    shadeAmount,
    shadeAngle,
    noise,
    noiseSeed,
  };
}

/** Renders one digit as RGBA: a JPEG gets paper, shading and tint; a PNG gets transparency. */
function render(digit, p) {
  const { width, height } = p;
  const random = mulberry32(p.noiseSeed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const theta = (p.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const toDigit = 28 / p.frame;
  const [shadeX, shadeY] = [Math.cos(p.shadeAngle), Math.sin(p.shadeAngle)];
  const diagonal = Math.hypot(width, height) / 2;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const dx = x + 0.5 - p.centreX;
      const dy = y + 0.5 - p.centreY;
      const coverage =
        sample(digit, (cos * dx + sin * dy) * toDigit + 13.5, (-sin * dx + cos * dy) * toDigit + 13.5) / 255;
      const o = (y * width + x) * 4;
      if (p.format === 'png') {
        // Transparent background, dark strokes: alpha carries the ink, RGB the pen colour.
        const alpha = Math.round(Math.min(255, Math.max(0, coverage * 255 + p.noise * gauss())));
        rgba.set([Math.round(p.ink * 0.6), Math.round(p.ink * 0.7), Math.round(p.ink), alpha], o);
      } else {
        // Paper with a light gradient (uneven lighting), a colour cast, ink and sensor noise.
        const shade = p.shadeAmount * ((dx * shadeX + dy * shadeY) / diagonal);
        const level = p.paper + shade + (p.ink - p.paper) * coverage + p.noise * gauss();
        for (let c = 0; c < 3; c += 1) rgba[o + c] = Math.round(Math.min(255, Math.max(0, level + p.tint[c])));
        rgba[o + 3] = 255;
      }
    }
  }
  return { width, height, data: rgba };
}

async function removeEarlierRun(dir) {
  const names = await fs.readdir(dir);
  await Promise.all(
    names.filter((n) => /^upload-\d+\.(jpg|png)$/.test(n) || n === 'labels.json').map((n) => fs.rm(path.join(dir, n))),
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { test } = buildEmbeddedMnist();
  if (options.count > test.count) {
    throw new Error(`expected --count of at most ${test.count} (the embedded test split), found ${options.count}`);
  }
  await fs.mkdir(options.out, { recursive: true });
  await removeEarlierRun(options.out);

  const random = mulberry32(options.seed);
  const digits = String(options.count - 1).length;
  const labels = {};
  const tally = { jpeg: 0, png: 0, bytes: 0 };
  const started = Date.now();
  for (let i = 0; i < options.count; i += 1) {
    const digit = test.images.subarray(i * 784, (i + 1) * 784);
    const params = chooseParams(random, digit);
    const bitmap = render(digit, params);
    const image = Jimp.fromBitmap(bitmap);
    const bytes =
      params.format === 'jpeg'
        ? await image.getBuffer('image/jpeg', { quality: params.quality })
        : await image.getBuffer('image/png');
    const name = `upload-${String(i).padStart(Math.max(4, digits), '0')}.${params.format === 'jpeg' ? 'jpg' : 'png'}`;
    await fs.writeFile(path.join(options.out, name), bytes);
    labels[name] = test.labels[i];
    tally[params.format] += 1;
    tally.bytes += bytes.length;
  }
  await fs.writeFile(path.join(options.out, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);

  const relative = path.relative(process.cwd(), options.out);
  const rel = relative === '' ? '.' : relative.startsWith('..') ? options.out : relative;
  const perClass = Array.from({ length: 10 }, (_, c) => Object.values(labels).filter((l) => l === c).length);
  console.log(
    `wrote ${options.count} images to ${rel}/ in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${options.seed}):`,
  );
  console.log(
    `  ${tally.jpeg} JPEG (RGB, quality 60-90), ${tally.png} PNG (RGBA, transparent background), ${(tally.bytes / 1e6).toFixed(1)} MB`,
  );
  console.log(`  first ${options.count} digits of the embedded MNIST test split; per class 0-9: ${perClass.join(' ')}`);
  console.log(`  ${rel}/labels.json maps each file name to its label`);
}

main().catch((error) => {
  console.error(`make-upload-eval: ${error.message}`);
  process.exitCode = 1;
});
