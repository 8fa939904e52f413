import type { RunningServer } from '@lenet/serving';
import { digitJpeg, digitPng, makeFixture, type Fixture } from './support/fixtures';
import { postFile, postRaw } from './support/http';
import { startTestServer } from './support/server';

let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = await makeFixture();
  server = await startTestServer(fixture.checkpoint, ['--workers', '2']);
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.remove();
});

const argmax = (values: number[]) => values.indexOf(Math.max(...values));

describe('POST /predict', () => {
  test('when PNGs of test-split digits are posted as the file part, then each answer has the documented fields and most classes are right', async () => {
    const count = 40;
    let correct = 0;
    for (let i = 0; i < count; i += 1) {
      const response = await postFile(
        `${server.url}/predict`,
        await digitPng(fixture.digits.image(i)),
        `digit-${i}.png`,
        'image/png',
      );
      expect(response.status).toBe(200);
      const body = response.body;
      expect(Object.keys(body).sort()).toEqual([
        'confidence',
        'contenttype',
        'detected_format',
        'filename',
        'likely_class',
        'model',
        'ms',
        'probabilities',
      ]);
      expect(body).toMatchObject({
        filename: `digit-${i}.png`,
        contenttype: 'image/png',
        detected_format: 'png',
        model: { epoch: 2, weights_hash: server.model.weightsHash },
      });
      expect(body.probabilities).toHaveLength(10);
      expect(body.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 3);
      expect(body.likely_class).toBe(argmax(body.probabilities));
      expect(body.confidence).toBe(Math.max(...body.probabilities));
      if (body.likely_class === fixture.digits.label(i)) correct += 1;
    }
    // The checkpoint scores about 85% on the test split; chance is 10%.
    expect(correct / count).toBeGreaterThanOrEqual(0.75);
  });

  test('when the digits come as 280x280 black-on-white JPEG photos, then they are classified like the PNGs', async () => {
    let agree = 0;
    const count = 12;
    for (let i = 0; i < count; i += 1) {
      const png = await postFile(`${server.url}/predict`, await digitPng(fixture.digits.image(i)));
      const jpeg = await postFile(
        `${server.url}/predict`,
        await digitJpeg(fixture.digits.image(i)),
        'photo.jpg',
        'image/jpeg',
      );
      expect(jpeg.status).toBe(200);
      expect(jpeg.body.detected_format).toBe('jpeg');
      if (jpeg.body.likely_class === png.body.likely_class) agree += 1;
    }
    expect(agree / count).toBeGreaterThanOrEqual(0.8);
  });

  test('when the image is the raw body with an image/* content type, then it is classified and named from Content-Disposition', async () => {
    const png = await digitPng(fixture.digits.image(3));
    const viaForm = await postFile(`${server.url}/predict`, png);
    const raw = await postRaw(`${server.url}/predict`, png, {
      'Content-Type': 'image/png',
      'Content-Disposition': 'attachment; filename="three.png"',
    });
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({
      filename: 'three.png',
      contenttype: 'image/png',
      likely_class: viaForm.body.likely_class,
      probabilities: viaForm.body.probabilities,
    });
    const unnamed = await postRaw(`${server.url}/predict`, png, { 'Content-Type': 'application/octet-stream' });
    expect(unnamed.body).toMatchObject({ filename: 'image', detected_format: 'png' });
  });

  test('when the name or content type disagree with the bytes (DIGIT.PNG, a PNG called .JPG), then the bytes decide', async () => {
    const png = await digitPng(fixture.digits.image(5));
    const upper = await postFile(`${server.url}/predict`, png, 'DIGIT.PNG', 'image/png');
    const wrong = await postFile(`${server.url}/predict`, png, 'scan.JPG', 'image/jpeg');
    const octet = await postFile(`${server.url}/predict`, png, 'blob', 'application/octet-stream');
    for (const response of [upper, wrong, octet]) {
      expect(response.status).toBe(200);
      expect(response.body.detected_format).toBe('png');
      expect(response.body.likely_class).toBe(upper.body.likely_class);
    }
    expect(wrong.body.contenttype).toBe('image/jpeg');
  });

  test('when 200 requests arrive at once, then every one is answered with the answer its image gets alone', async () => {
    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => digitPng(fixture.digits.image(100 + i))));
    const alone: Array<{ likely_class: number; probabilities: number[] }> = [];
    for (const png of images) alone.push((await postFile(`${server.url}/predict`, png)).body);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postFile(`${server.url}/predict`, images[i % 20]!, `n${i}.png`)),
    );
    responses.forEach((response, i) => {
      expect(response.status).toBe(200);
      expect(response.body.filename).toBe(`n${i}.png`);
      const expected = alone[i % 20]!;
      expect(response.body.likely_class).toBe(expected.likely_class);
      response.body.probabilities.forEach((p: number, k: number) =>
        expect(p).toBeCloseTo(expected.probabilities[k]!, 4),
      );
    });
  });
});
