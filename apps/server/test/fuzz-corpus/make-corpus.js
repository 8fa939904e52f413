// Writes the fuzz corpus: one MNIST test digit in every accepted format, a few KB each.
// Run from the repository root after `npm run build`: node apps/server/test/fuzz-corpus/make-corpus.js
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { Jimp } = require('jimp');
const { buildEmbeddedMnist } = require('../../../../packages/data/dist/index.js');

/** Test digit `index` at `size` px, dark ink on white paper (as a photo or scan shows it) or as in MNIST. */
function digitImage(digits, index, size, inkOnPaper) {
  const image = new Jimp({ width: size, height: size, color: 0xffffffff });
  const scale = size / 28;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const v = digits[index * 784 + Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      const o = (y * size + x) * 4;
      image.bitmap.data.fill(inkOnPaper ? 255 - v : v, o, o + 3);
    }
  }
  return image;
}

async function main() {
  const { test } = buildEmbeddedMnist();
  const files = [
    ['digit-7.png', digitImage(test.images, 0, 28, false), 'image/png', {}],
    ['digit-2-paper.png', digitImage(test.images, 1, 56, true), 'image/png', {}],
    ['digit-1.jpg', digitImage(test.images, 2, 56, true), 'image/jpeg', { quality: 85 }],
    ['digit-0-q70.jpg', digitImage(test.images, 3, 84, true), 'image/jpeg', { quality: 70 }],
    ['digit-4.gif', digitImage(test.images, 4, 28, false), 'image/gif', {}],
    ['digit-1.bmp', digitImage(test.images, 5, 28, true), 'image/bmp', {}],
    ['digit-4.tif', digitImage(test.images, 6, 28, false), 'image/tiff', {}],
  ];
  for (const [name, image, mime, options] of files) {
    const bytes = await image.getBuffer(mime, options);
    writeFileSync(path.join(__dirname, name), bytes);
    process.stdout.write(`${name} ${bytes.length} bytes\n`);
  }
}

main();
