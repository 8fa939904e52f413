import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SERVER_FLAGS } from '@lenet/serving';
import { trainFixtureModel } from './fixtures';
import { LENET_BIN, lines, runCli } from './run-cli';

let work: string;
let model: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lenet-cli-serve-'));
  ({ model } = await trainFixtureModel(work, { train: 2000, test: 200, epochs: 2 }));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('lenet serve', () => {
  test('when started on port 0, then it answers /predict with the bundled example and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [LENET_BIN, 'serve', '--model', model, '--port', '0', '--workers', '1', '--backend', 'wasm'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const found = /listening on (http:\/\/[^\s"]+)/.exec(stdout)?.[1];
        if (found !== undefined) resolve(found);
      });
      void exited.then((code) => reject(new Error(`lenet serve exited with ${code} before listening: ${stdout}`)));
    });
    const form = new FormData();
    const example = await readFile(path.resolve(__dirname, '..', '..', '..', 'data', 'examples', 'digit-6.png'));
    form.append('file', new Blob([example], { type: 'image/png' }), 'digit-6.png');
    const response = await fetch(`${url}/predict`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { probabilities: number[] };
    expect(body).toMatchObject({ filename: 'digit-6.png', contenttype: 'image/png' });
    expect(body.probabilities).toHaveLength(10);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  test('when --log-format text is asked for, then the backend and decoder lines come first, then the banner, then short request lines', async () => {
    const child = spawn(
      process.execPath,
      [LENET_BIN, 'serve', '--model', model, '--port', '0', '--workers', '1', '--backend', 'cpu', '--decoder', 'jimp'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_FORMAT: 'text' } },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const found = / at (http:\/\/\S+) - open it in a browser; Ctrl-C to stop\n/.exec(stdout)?.[1];
        if (found !== undefined) resolve(found);
      });
      void exited.then((code) => reject(new Error(`lenet serve exited with ${code} before its banner: ${stdout}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const out = lines(stdout);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d backend: cpu/);
    expect(out[1]).toMatch(/^\d\d:\d\d:\d\d image decoder: jimp/);
    const banner = out.find((line) => line.startsWith('lenet serving ')) ?? '';
    const accuracy = /\(epoch 2, test accuracy (\d+\.\d\d)%\)/.exec(banner)?.[1];
    expect(banner).toBe(
      `lenet serving ${model} (epoch 2, test accuracy ${accuracy}%) at ${url} - open it in a browser; Ctrl-C to stop`,
    );
    expect(out).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d GET \/healthz 200 \d+\.\d ms$/));
    expect(stdout).not.toContain('{"');
  });

  test('when --help is asked for, then commander lists every server flag with its variable, and --train-if-missing', async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: lenet serve \[options\]/);
    for (const flag of SERVER_FLAGS) {
      expect(run.stdout).toContain(`${flag.flag} <value>`);
      expect(run.stdout.replace(/\s+/g, ' ')).toContain(`(env ${flag.env}; default ${flag.defaultText})`);
    }
    expect(run.stdout).toContain('--train-if-missing');
    expect(run.stdout).toContain('-h, --help');
  });

  test('when the checkpoint is missing, then exit 1 with one line naming it', async () => {
    const run = await runCli(['serve', '--model', path.join(work, 'nope'), '--port', '0']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr).filter((line) => line.startsWith('error: '))).toEqual([expect.stringContaining('nope')]);
  });
});
