/**
 * The container image's runtime stage, run outside Docker (no engine on our machines): the npm
 * commands of the Dockerfile's last stage on the same package manifests, the built dist folders
 * copied in as the build stage copies them, and a real server started from that tree with the
 * image's environment. What Docker itself does (layers, the slim base image, the user) is not run here.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { digitPng, type Fixture, makeFixture } from '../../apps/server/test/support/fixtures';
import { envValues, readDockerfile } from './support/dockerfile';
import { freePorts, killReplica, type Replica, startImageServer, stopReplica, waitReady } from './support/replica';
import { REPO } from './support/server-facts';

const runtime = readDockerfile(path.join(REPO, 'Dockerfile')).at(-1)!;
const install = runtime.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'))!.args;
/** The stage's npm commands, without the cache clean (it would empty this machine's npm cache). */
const npmCommands = install
  .split('&&')
  .map((command) => command.trim().split(' '))
  .filter(([tool, verb]) => tool === 'npm' && verb !== 'cache');
const imageEnv = Object.assign(
  {},
  ...runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => envValues(i.args)),
);

/** `suffix` in every workspace folder (relative to REPO), as the Dockerfile's workspace globs pick them. */
const workspaceFiles = (suffix: string) =>
  ['packages', 'apps'].flatMap((group) =>
    readdirSync(path.join(REPO, group)).map((name) => path.join(group, name, suffix)),
  );

describe('the image runtime install, outside Docker', () => {
  let root = '';
  let fixture: Fixture | undefined;
  let replica: Replica | undefined;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'lenet-runtime-'));
    for (const file of ['package.json', 'package-lock.json', ...workspaceFiles('package.json')]) {
      if (existsSync(path.join(REPO, file))) cpSync(path.join(REPO, file), path.join(root, file));
    }
    for (const [tool, ...args] of npmCommands)
      execFileSync(tool!, args, { cwd: root, stdio: 'pipe', timeout: 240_000 });
    for (const folder of [...workspaceFiles('dist'), 'apps/cli/bin', 'apps/server/bin']) {
      if (!existsSync(path.join(REPO, folder))) continue;
      cpSync(path.join(REPO, folder), path.join(root, folder), {
        recursive: true,
        filter: (source) => !/\.test\.[cm]?[jt]s/.test(source),
      });
    }
    fixture = await makeFixture({ epochs: 1, limit: 600 });
  }, 300_000);
  afterAll(async () => {
    if (replica !== undefined) await stopReplica(replica).catch(() => killReplica(replica));
    await fixture?.remove();
    rmSync(root, { recursive: true, force: true });
  });

  test('when the npm commands run, then node_modules has the WASM backend and sharp, and no native TensorFlow bundle or dev tools', () => {
    expect(npmCommands.map(([, verb]) => verb)).toEqual(['ci', 'uninstall']);
    const present = (name: string) => existsSync(path.join(root, 'node_modules', name, 'package.json'));
    const wanted = [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-wasm',
      'sharp',
      'express',
    ];
    const unwanted = [
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgl',
      'jest',
      'typescript',
    ];
    expect({ missing: wanted.filter((name) => !present(name)), extra: unwanted.filter(present) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  test('when the server starts from that tree with the image environment, then it names WASM and sharp and answers /predict', async () => {
    const [port] = (await freePorts(1)) as [number];
    replica = startImageServer({
      root,
      port,
      env: { ...imageEnv, HOST: '127.0.0.1', MODEL: fixture!.checkpoint, WORKERS: '1' },
    });
    await waitReady(replica);
    const form = new FormData();
    form.append('file', new Blob([await digitPng(fixture!.digits.image(0))], { type: 'image/png' }), 'digit.png');
    const response = await fetch(`${replica.url}/predict`, { method: 'POST', body: form });
    const body = (await response.json()) as { likely_class?: number };
    expect({ status: response.status, classIsDigit: Number.isInteger(body.likely_class) }).toEqual({
      status: 200,
      classIsDigit: true,
    });
    expect(replica.output()).toMatch(/backend: wasm/);
    expect(replica.output()).toMatch(/image decoder: sharp/);
    expect(await stopReplica(replica)).toBe(0);
  }, 120_000);
});
