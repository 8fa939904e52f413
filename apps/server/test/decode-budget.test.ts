/**
 * Issue 10, findings 1-3 and 9: hostile images that used to hold a worker for a minute or take
 * gigabytes, a deadline that replaces a stuck worker without failing the requests behind it, and a
 * checkpoint with non-finite weights. All through the real server.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { Jimp } from 'jimp';
import type { RunningServer } from '@lenet/serving';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { postFile } from './support/http';
import { startTestServer } from './support/server';

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  let c = 0xffffffff;
  for (const b of out.subarray(4, 8 + data.length)) c = (CRC[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}
function png(width: number, height: number, depth: 8 | 16, colour: 0 | 6, raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colour;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Finding 3: a 4800x4800 16-bit RGBA PNG of about 200 KB (every row after the first repeats it). */
function png16Rgba(): Buffer {
  const size = 4800;
  const stride = 1 + size * 8;
  const raw = Buffer.alloc(stride * size);
  for (let x = 0; x < size; x += 1) raw.writeUInt16BE((x * 13) & 0xffff, 1 + x * 8);
  for (let y = 1; y < size; y += 1) raw[y * stride] = 2; // filter Up: same as the row above
  return png(size, size, 16, 6, raw);
}

/** An uncompressed 60x60 grey TIFF (3.7 KB), with tags overridden by `patch(tag) -> [count, value]`. */
function greyTiff(patch: (tag: number) => [number, number] | undefined = () => undefined): Buffer {
  const tags: Array<[number, number, number]> = [
    [256, 3, 60],
    [257, 3, 60],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 4, 60],
    [279, 4, 3600],
  ];
  const dataAt = 10 + tags.length * 12 + 4;
  const tiff = Buffer.alloc(dataAt + 3600);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const [count, patched] = patch(tag) ?? [1, tag === 273 ? dataAt : value];
    const at = 10 + i * 12;
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(count, at + 4);
    if (type === 3) tiff.writeUInt16LE(patched, at + 8);
    else tiff.writeUInt32LE(patched, at + 8);
  });
  for (let i = 0; i < 3600; i += 1) tiff[dataAt + i] = (i * 37) & 255;
  return tiff;
}

/** Finding 3: a 4 KB JPEG whose SOF claims 4000x5999. */
async function jpegClaiming(): Promise<Buffer> {
  const image = new Jimp({ width: 64, height: 64, color: 0xffffffff });
  image.bitmap.data.forEach((_, i, data) => {
    if (i % 4 !== 3) data[i] = (i * 7) & 255;
  });
  const jpeg = Buffer.from(await image.getBuffer('image/jpeg', { quality: 95 }));
  for (let at = 2; at + 9 < jpeg.length; at += 2 + jpeg.readUInt16BE(at + 2)) {
    if (jpeg[at + 1] === 0xc0 || jpeg[at + 1] === 0xc2) {
      jpeg.writeUInt16BE(5999, at + 5);
      jpeg.writeUInt16BE(4000, at + 7);
      break;
    }
  }
  return jpeg;
}

/** Finding 1: a GIF with one bit flipped in its image data. */
async function bitFlippedGif(): Promise<Buffer> {
  const image = new Jimp({ width: 64, height: 64, color: 0xffffffff });
  image.bitmap.data.forEach((_, i, data) => {
    const x = (i >> 2) % 64;
    if (i % 4 !== 3 && x > 20 && x < 40) data[i] = 0;
  });
  const gif = Buffer.from(await image.getBuffer('image/gif'));
  const at = gif.length - 40;
  gif[at] = (gif[at] ?? 0) ^ 0x10;
  return gif;
}

/**
 * A large but honest PNG (3600x3600 grey ring), slow to decode with jimp: 0.5-2 s depending on the
 * machine, against a 100 ms deadline (a 2400x2400 one once decoded inside 200 ms on a fast, quiet machine).
 */
function slowPng(): Buffer {
  const size = 3600;
  const raw = Buffer.alloc((size + 1) * size, 255);
  for (let y = 0; y < size; y += 1) {
    raw[y * (size + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      if (r > size * 0.25 && r < size * 0.35) raw[y * (size + 1) + 1 + x] = 0;
    }
  }
  return png(size, size, 8, 0, raw);
}

let fixture: Fixture;
let digit: Buffer;
const DEADLINE_MS = 2000;

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  digit = await digitPng(fixture.digits.image(0));
}, 240_000);
afterAll(async () => {
  await fixture?.remove();
});

async function timed(server: RunningServer, bytes: Buffer, name: string) {
  const started = performance.now();
  const answer = await postFile(`${server.url}/predict`, bytes, name, 'application/octet-stream');
  return { ...answer, ms: performance.now() - started };
}

describe.each(['auto', 'jimp'])('hostile images with --decoder %s', (decoder) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(fixture.checkpoint, [
      '--decoder',
      decoder,
      '--decode-timeout-ms',
      String(DEADLINE_MS),
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  test.each([
    [
      'a 60x60 TIFF with Compression 5 (LZW) and RowsPerStrip 32769',
      () => greyTiff((tag) => (tag === 259 ? [1, 5] : tag === 278 ? [1, 32769] : undefined)),
      'lzw.tif',
    ],
    ['a bit-flipped GIF', bitFlippedGif, 'flipped.gif'],
    [
      'a TIFF with a BitsPerSample count of 0x73000001',
      () => greyTiff((tag) => (tag === 258 ? [0x73000001, 8] : undefined)),
      'counts.tif',
    ],
    ['a 4800x4800 16-bit RGBA PNG', png16Rgba, 'big16.png'],
    ['a 4 KB JPEG claiming 4000x5999', jpegClaiming, 'liar.jpg'],
  ])(
    'when %s is posted, then it is a 4xx JSON error within deadline + 1 s and a normal request after it succeeds',
    async (_what, make, name) => {
      const attack = await timed(server, await make(), name);
      expect(attack.status === 200 || (attack.status >= 400 && attack.status < 500)).toBe(true);
      if (attack.status !== 200) expect(attack.body.error.code).toMatch(/^IMAGE_|^UNSUPPORTED_MEDIA_TYPE$/);
      expect(attack.ms).toBeLessThan(DEADLINE_MS + 1000);
      const after = await timed(server, digit, 'digit.png');
      expect(after.status).toBe(200);
    },
  );
});

describe('the decode deadline', () => {
  test('when an image decodes past --decode-timeout-ms, then it alone gets 422 IMAGE_DECODE_TIMEOUT and the requests queued behind it on its worker get 200', async () => {
    const server = await startTestServer(fixture.checkpoint, ['--decoder', 'jimp', '--decode-timeout-ms', '100']);
    try {
      const slow = timed(server, slowPng(), 'ring.png');
      const behind = Array.from({ length: 6 }, (_, i) => timed(server, digit, `digit-${i}.png`));
      const answer = await slow;
      expect(answer.status).toBe(422);
      expect(answer.body.error).toEqual({
        code: 'IMAGE_DECODE_TIMEOUT',
        message: expect.stringMatching(/^ring\.png: /),
      });
      expect(answer.ms).toBeLessThan(100 + 1000);
      expect((await Promise.all(behind)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('a checkpoint with non-finite weights', () => {
  test('when the weights hold NaN, then start-up fails with a typed error naming model.json', async () => {
    const broken = path.join(fixture.dir, 'nan-checkpoint');
    await mkdir(broken, { recursive: true });
    for (const file of await readdir(fixture.checkpoint))
      await copyFile(path.join(fixture.checkpoint, file), path.join(broken, file));
    const manifest = JSON.parse(await readFile(path.join(broken, 'model.json'), 'utf8')) as {
      weightsManifest: Array<{ paths: string[] }>;
    };
    const weightsFile = path.join(broken, manifest.weightsManifest[0]?.paths[0] ?? 'missing');
    const weights = await readFile(weightsFile);
    weights.writeFloatLE(Number.NaN, 0);
    await writeFile(weightsFile, weights);
    await expect(startTestServer(broken)).rejects.toMatchObject({
      code: 'CHECKPOINT_NON_FINITE',
      message: expect.stringMatching(/model\.json.*(finite|NaN)/),
    });
  });
});
