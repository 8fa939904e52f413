/**
 * Fuzzing the upload path (issue 10): seeded mutations of the committed corpus (fuzz-corpus/), sent
 * through the real server with both decoders. 2,000 cases by default; `FUZZ_CASES=10000` (and
 * `FUZZ_SEED=n` for other mutations) for a long run. A failure names each bad case's seed, file and
 * mutations, so `FUZZ_SEED`, `FUZZ_CASES` and the case number reproduce it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RunningServer } from '@lenet/serving';
import { digitPng, makeFixture, type Fixture } from './support/fixtures';
import { postFile } from './support/http';
import { startTestServer } from './support/server';
import { mulberry32 } from '@lenet/data';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const CONCURRENCY = 4;
const DEADLINE_MS = 2000;
const CORPUS_DIR = path.join(__dirname, 'fuzz-corpus');
const CORPUS = readdirSync(CORPUS_DIR)
  .filter((name) => /\.(png|jpg|gif|bmp|tif)$/.test(name))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(path.join(CORPUS_DIR, name)) }));

/** A full garbage collection, so RSS is compared without garbage the main thread has not collected yet. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
/** Untimed, unchecked cases sent before the measured run. */
const WARM_UP_CASES = 400;

type Rng = () => number;
/** Seeded, so every case can be replayed: `fuzzCase(seed, n)` is always the same bytes. */
const rng = (seed: number): Rng => mulberry32(seed);
const below = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, list: readonly T[]): T => list[below(r, list.length)] as T;
/** Sizes a header may lie about: zero, tiny, just over limits, the type's maximum. */
const LIES = [0, 1, 2, 255, 4096, 5999, 32769, 65535, 0x7fffffff, 0xffffffff];

/** Offsets of one structure in a file: where sizes live and where its chunks, segments or tags start. */
interface Layout {
  sizes: Array<{ at: number; bytes: 2 | 4; le: boolean }>;
  /** Offsets of chunk/segment length fields or TIFF entries (count at +4, value at +8). */
  units: Array<{ at: number; bytes: 2 | 4; le: boolean }>;
}

/** Where the sizes and structures of a (possibly already mutated) file are, as far as it can be read. */
function layout(file: Buffer): Layout {
  const sizes: Layout['sizes'] = [];
  const units: Layout['units'] = [];
  try {
    readLayout(file, sizes, units);
  } catch {
    // A mutated file can end mid-structure: keep what was found before that.
  }
  return { sizes, units };
}

function readLayout(file: Buffer, sizes: Layout['sizes'], units: Layout['units']): void {
  if (file[0] === 0x89) {
    sizes.push({ at: 16, bytes: 4, le: false }, { at: 20, bytes: 4, le: false });
    for (let at = 8; at + 8 <= file.length; at += 12 + file.readUInt32BE(at)) units.push({ at, bytes: 4, le: false });
  } else if (file[0] === 0xff) {
    for (let at = 2; at + 4 <= file.length && file[at] === 0xff; at += 2 + file.readUInt16BE(at + 2)) {
      units.push({ at: at + 2, bytes: 2, le: false });
      const marker = file[at + 1] ?? 0;
      if (marker >= 0xc0 && marker <= 0xc2)
        sizes.push({ at: at + 5, bytes: 2, le: false }, { at: at + 7, bytes: 2, le: false });
      if (marker === 0xda) break;
    }
  } else if (file[0] === 0x47) {
    sizes.push({ at: 6, bytes: 2, le: true }, { at: 8, bytes: 2, le: true });
    const descriptor = file.indexOf(0x2c, 13);
    if (descriptor > 0) {
      sizes.push({ at: descriptor + 5, bytes: 2, le: true }, { at: descriptor + 7, bytes: 2, le: true });
      units.push({ at: descriptor + 10, bytes: 2, le: true });
    }
  } else if (file[0] === 0x42) {
    sizes.push({ at: 18, bytes: 4, le: true }, { at: 22, bytes: 4, le: true });
    units.push({ at: 10, bytes: 4, le: true }, { at: 14, bytes: 4, le: true }, { at: 28, bytes: 2, le: true });
  } else {
    const le = file[0] === 0x49;
    const ifd = le ? file.readUInt32LE(4) : file.readUInt32BE(4);
    const count = ifd + 2 <= file.length ? (le ? file.readUInt16LE(ifd) : file.readUInt16BE(ifd)) : 0;
    for (let i = 0; i < count; i += 1) {
      const entry = ifd + 2 + i * 12;
      const tag = le ? file.readUInt16LE(entry) : file.readUInt16BE(entry);
      units.push({ at: entry + 4, bytes: 4, le }, { at: entry + 8, bytes: 4, le }, { at: entry + 2, bytes: 2, le });
      if (tag === 256 || tag === 257) sizes.push({ at: entry + 8, bytes: 2, le });
    }
  }
}

function write(file: Buffer, field: { at: number; bytes: 2 | 4; le: boolean }, value: number): void {
  if (field.at + field.bytes > file.length) return;
  const v = field.bytes === 2 ? value & 0xffff : value >>> 0;
  if (field.bytes === 2) field.le ? file.writeUInt16LE(v, field.at) : file.writeUInt16BE(v, field.at);
  else field.le ? file.writeUInt32LE(v, field.at) : file.writeUInt32BE(v, field.at);
}

/** Each mutation edits a copy of the file; stacks of one to three make a case. */
const MUTATIONS: Record<string, (file: Buffer, r: Rng) => Buffer> = {
  'bit flips': (file, r) => {
    for (let n = 1 + below(r, 8); n > 0; n -= 1) {
      const at = below(r, file.length);
      file[at] = (file[at] ?? 0) ^ (1 << below(r, 8));
    }
    return file;
  },
  truncation: (file, r) => file.subarray(0, 1 + below(r, file.length - 1)),
  'byte runs': (file, r) => {
    const at = below(r, file.length);
    const value = pick(r, [0x00, 0xff, below(r, 256)]);
    return file.fill(value, at, Math.min(file.length, at + 1 + below(r, 16)));
  },
  'header size lie': (file, r) => {
    for (const field of layout(file).sizes) if (r() < 0.7) write(file, field, pick(r, LIES));
    return file;
  },
  'tag and chunk edits': (file, r) => {
    const { units } = layout(file);
    if (units.length === 0) return file;
    write(file, pick(r, units), r() < 0.5 ? pick(r, LIES) : below(r, 1 << 16));
    return file;
  },
  splice: (file, r) => {
    const at = below(r, file.length);
    const piece = file.subarray(below(r, file.length), below(r, file.length));
    return r() < 0.5
      ? Buffer.concat([file.subarray(0, at), piece, file.subarray(at)])
      : Buffer.concat([file.subarray(0, at), file.subarray(Math.min(file.length, at + 1 + below(r, 64)))]);
  },
};

/** Case `n` of seed `seed`: always the same bytes. */
function fuzzCase(seed: number, n: number): { source: string; mutations: string[]; bytes: Buffer } {
  const r = rng(seed * 1_000_003 + n);
  const source = CORPUS[n % CORPUS.length] ?? { name: 'none', bytes: Buffer.alloc(1) };
  let bytes = Buffer.from(source.bytes);
  const mutations: string[] = [];
  for (let count = 1 + below(r, 3); count > 0 && bytes.length > 1; count -= 1) {
    const name = pick(r, Object.keys(MUTATIONS));
    mutations.push(name);
    bytes = Buffer.from((MUTATIONS[name] ?? ((b: Buffer) => b))(bytes, r));
  }
  return { source: source.name, mutations, bytes };
}

let fixture: Fixture;
const servers: RunningServer[] = [];

beforeAll(async () => {
  fixture = await makeFixture({ epochs: 1, limit: 600 });
  for (const decoder of (process.env.FUZZ_DECODERS ?? 'auto,jimp').split(','))
    servers.push(
      await startTestServer(fixture.checkpoint, [
        ...['--decoder', decoder, '--decode-timeout-ms', String(DEADLINE_MS)],
        // Two workers, as on a two-core machine: what a stuck worker holds goes to the other.
        ...['--workers', '2'],
      ]),
    );
}, 240_000);
afterAll(async () => {
  for (const server of servers) await server.close();
  await fixture?.remove();
});

describe('fuzzed uploads through the real server', () => {
  test('when the corpus is read, then it holds a valid file of every accepted format', async () => {
    expect(CORPUS.map((file) => path.extname(file.name)).sort()).toEqual(
      expect.arrayContaining(['.bmp', '.gif', '.jpg', '.png', '.tif']),
    );
    for (const file of CORPUS) {
      const server = servers[0] as RunningServer;
      expect({
        file: file.name,
        status: (await postFile(`${server.url}/predict`, file.bytes, file.name)).status,
      }).toEqual({ file: file.name, status: 200 });
    }
  });

  test(
    `when ${CASES} mutated files are posted (seed ${SEED}), then none gets a 5xx, none takes over the deadline + 1 s, the servers stay up and RSS grows less than 300 MB`,
    async () => {
      // Warm-up on other cases (another seed): each worker's heap, decoder buffers and allocator arenas
      // reach their working size first, so the RSS check below measures growth, not start-up.
      let warm = 0;
      const warmUp = async () => {
        for (let n = warm++; n < WARM_UP_CASES; n = warm++) {
          const { bytes } = fuzzCase(SEED + 1_000_000, n);
          const server = servers[n % servers.length] as RunningServer;
          await postFile(`${server.url}/predict`, bytes, `warm-${n}`, 'application/octet-stream');
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, warmUp));
      collectGarbage();
      const rssBefore = process.memoryUsage().rss;
      const heapBefore = process.memoryUsage().heapUsed;
      const bad: string[] = [];
      const overDeadline: string[] = [];
      const statuses = new Map<number, number>();
      let slowest = 0;
      let next = 0;
      const sendAll = async () => {
        for (let n = next++; n < CASES; n = next++) {
          const { source, mutations, bytes } = fuzzCase(SEED, n);
          const server = servers[n % servers.length] as RunningServer;
          const started = performance.now();
          const answer = await postFile(`${server.url}/predict`, bytes, `case-${n}`, 'application/octet-stream');
          const ms = performance.now() - started;
          slowest = Math.max(slowest, ms);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.body?.error?.code === 'IMAGE_DECODE_TIMEOUT')
            overDeadline.push(`case ${n} (${source}, ${mutations.join(' + ')})`);
          if (answer.status >= 500 || ms > DEADLINE_MS + 1000)
            bad.push(
              `case ${n} (seed ${SEED}, ${source}, ${mutations.join(' + ')}): ${answer.status} in ${Math.round(ms)} ms ${JSON.stringify(answer.body)}`,
            );
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, sendAll));
      if (process.env.FUZZ_VERBOSE === '1') {
        collectGarbage();
        const mb = (n: number) => Math.round(n / 2 ** 20);
        const m = process.memoryUsage();
        process.stdout.write(
          `main thread: rss ${mb(m.rss)} MB (+${mb(m.rss - rssBefore)}), heap ${mb(m.heapUsed)} MB (+${mb(m.heapUsed - heapBefore)}), external ${mb(m.external)} MB, array buffers ${mb(m.arrayBuffers)} MB\n`,
        );
        const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
        process.stdout.write(
          `fuzz seed ${SEED}, ${CASES} cases: ${counts.join(', ')}; slowest ${Math.round(slowest)} ms\n`,
        );
        process.stdout.write(`replaced a worker (IMAGE_DECODE_TIMEOUT): ${overDeadline.join('; ') || 'none'}\n`);
      }
      expect(bad.slice(0, 20)).toEqual([]);
      expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
      expect(slowest).toBeLessThan(DEADLINE_MS + 1000);
      const digit = await digitPng(fixture.digits.image(0));
      for (const server of servers) {
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        expect((await postFile(`${server.url}/predict`, digit)).status).toBe(200);
      }
      collectGarbage();
      expect((process.memoryUsage().rss - rssBefore) / 2 ** 20).toBeLessThan(300);
    },
    60_000 + CASES * 60,
  );
});
