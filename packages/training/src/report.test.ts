import sharp from 'sharp';
import { selectBackend } from '@lenet/backend';
import type { EpochRecord } from '@lenet/checkpoint';
import { buildEmbeddedMnist } from '@lenet/data';
import { createLenet } from '@lenet/model';
import { examplesFromDigits } from './examples';
import { renderReport } from './report';
import { diagnoseTestSet, digitOfExample, type WrongExample } from './report-diagnostics';
import { grayPngDataUri } from './report-png';

const record = (epoch: number, testAccuracy: number, testLoss: number): EpochRecord => ({
  epoch,
  trainLoss: testLoss * 0.8,
  trainAccuracy: testAccuracy + 0.004,
  testLoss,
  testAccuracy,
  seconds: 10,
  imagesPerSecond: 1000 + epoch * 100,
});
const history = [record(1, 0.9, 1), record(2, 0.9812, 0.1), record(3, 0.975, 0.01)];

function wrongDigit(index: number, confidence: number): WrongExample {
  const pixels = new Uint8Array(784);
  pixels[index % 784] = 255;
  return { index, label: index % 10, predicted: (index + 1) % 10, confidence, pixels };
}

/** Text of the element with `id`, tags stripped. */
function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  return match === null ? '' : (match[1] as string).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('renderReport', () => {
  test('when given a history, then the summary gives final and best test accuracy with their epochs, time and speed', () => {
    const html = renderReport(history, {
      title: 'run',
      details: [],
      backend: 'wasm',
      dataFingerprint: 'ab'.repeat(32),
    });
    const summary = section(html, 'summary');
    expect(summary).toContain('Final test accuracy 97.50% epoch 3');
    expect(summary).toContain('Best test accuracy 98.12% epoch 2');
    expect(summary).toContain('Total time 30.0 s 3 epochs');
    expect(summary).toContain('1,200 images/s'); // (1100 + 1200 + 1300) / 3, each epoch 10 s
    expect(summary).toContain('Backend wasm');
    expect(summary).toContain(`Data fingerprint ${'ab'.repeat(6)}`);
  });

  test('when rendered, then every percentage has two decimals and nothing is loaded from elsewhere', () => {
    const html = renderReport(history, { title: 'run', details: [] });
    const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
    const percentages = body.match(/\d+(\.\d+)?%/g) ?? [];
    expect(percentages.length).toBeGreaterThan(10);
    for (const p of percentages) expect(p).toMatch(/^\d+\.\d\d%$/);
    expect(html).not.toMatch(/<script|<link|src="http|url\(/);
  });

  test('when the loss falls by 10x per epoch, then the loss chart is log-scale: the points are evenly spaced', () => {
    const html = renderReport(history, { title: 'run', details: [] });
    const chart = /<figure class="chart" id="loss-chart">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(chart).toContain('log scale');
    const test = /data-label="test"[^>]*points="([^"]+)"/.exec(chart)?.[1] ?? '';
    const ys = test.split(' ').map((p) => Number(p.split(',')[1]));
    expect(ys).toHaveLength(3);
    expect((ys[1] as number) - (ys[0] as number)).toBeCloseTo((ys[2] as number) - (ys[1] as number), 0);
    expect(chart).toMatch(/>0\.1<\/text>/);
  });

  test('when given a confusion matrix, then a heat map shows each count and per-class accuracy', () => {
    const confusion = Array.from({ length: 10 }, (_, t) =>
      Array.from({ length: 10 }, (_, p) => (t === p ? 98 : p === 9 - t ? 2 : 0)),
    );
    const html = renderReport(history, { title: 'run', details: [], confusion });
    const table = /<table class="heatmap">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(table.match(/<tr>/g)).toHaveLength(11);
    expect(table.match(/<td class="accuracy">98\.00%<\/td>/g)).toHaveLength(10);
    expect(table).toContain('title="true 3, predicted 6: 2 (2.00% of 3)"');
    expect(table).toMatch(/background:rgba\(214,39,40,1\.000\)/); // the largest mistake is the darkest red
  });

  test('when given more than 24 wrong digits, then the 24 first are drawn as PNG images with both classes', () => {
    const wrong = Array.from({ length: 30 }, (_, i) => wrongDigit(i, 1 - i / 100));
    const html = renderReport(history, {
      title: 'run',
      details: [],
      wrong,
      classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
    });
    const images = html.match(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g) ?? [];
    expect(images).toHaveLength(24);
    expect(section(html, 'wrong')).toContain('true three predicted four 97.00%');
    expect(html).not.toContain('data-index="24"');
  });

  test('when optional parts are missing or no epoch finished, then it still renders, without those parts', () => {
    const html = renderReport([], { title: 'a <b> & "c"', details: ['x < y'] });
    expect(html).toContain('<title>a &#60;b&#62; &#38; &#34;c&#34;</title>');
    expect(html).toContain('no epoch completed');
    expect(html).not.toMatch(/id="(charts|confusion|wrong)"/);
  });
});

describe('grayPngDataUri', () => {
  test('when decoded by a PNG reader, then it gives back the same pixels', async () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7) % 256);
    const uri = grayPngDataUri(pixels, 28, 28);
    const png = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 28, 28, 1]);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(new Uint8Array(data)).toEqual(pixels);
  });

  test('when the pixel count does not match the size, then it throws naming both', () => {
    expect(() => grayPngDataUri(new Uint8Array(10), 28, 28)).toThrow('expected 784 pixels (28x28), found 10');
  });
});

describe('diagnoseTestSet', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test('when run on real test digits, then the confusion matrix counts each one and the wrong ones are sorted with their pixels', () => {
    const { test } = buildEmbeddedMnist();
    const count = 120;
    const examples = examplesFromDigits(test.images.subarray(0, count * 784), test.labels.subarray(0, count));
    const { confusion, wrong } = diagnoseTestSet(createLenet({ seed: 2 }), examples, { wrongCount: 24, batchSize: 50 });
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(count);
    confusion.forEach((row, digit) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(test.labels.subarray(0, count).filter((l) => l === digit).length);
    });
    expect(wrong).toHaveLength(24); // an untrained model gets most wrong
    for (let i = 1; i < wrong.length; i += 1)
      expect(wrong[i]!.confidence).toBeLessThanOrEqual(wrong[i - 1]!.confidence);
    for (const w of wrong) {
      expect(w.predicted).not.toBe(w.label);
      expect(w.label).toBe(test.labels[w.index]);
      expect(w.pixels).toEqual(test.images.subarray(w.index * 784, (w.index + 1) * 784));
    }
  });

  test('when a digit is turned into a model input, then digitOfExample gives back its exact bytes', () => {
    const digits = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i * 31) % 256);
    const examples = examplesFromDigits(digits, Uint8Array.of(1, 2));
    expect(digitOfExample(examples, 1)).toEqual(digits.subarray(784));
  });
});
