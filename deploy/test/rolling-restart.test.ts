/**
 * A rollout on one machine, with real processes: two `lenet serve` replicas behind nginx, steady load
 * through nginx, then each replica in turn gets SIGTERM, drains, exits 0 and is replaced on the same
 * port, as a Deployment rollout replaces pods. Not one request may fail or get a wrong answer.
 * Needs Debian's nginx (`apt-get install nginx`); SKIP_ROLLING=1 skips it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { digitPng, type Fixture, makeFixture } from '../../apps/server/test/support/fixtures';
import { type LoadResult, type Sample, startLoad } from './support/load';
import { FAIL_TIMEOUT_S, NGINX_BIN, type Nginx, startNginx } from './support/nginx';
import { freePorts, killReplica, type Replica, startReplica, stopReplica, waitReady } from './support/replica';
import { REPO } from './support/server-facts';

const CONCURRENCY = 8;
/** Seconds of load for each throughput figure. */
const MEASURE_SECONDS = 3;
/**
 * After a new replica is ready, wait this long before stopping the next one, as a Deployment's
 * `minReadySeconds` does: nginx keeps a replica it saw refuse connections out of rotation for
 * `fail_timeout`, and with both replicas out it would answer 502 "no live upstreams".
 */
const MIN_READY_MS = (FAIL_TIMEOUT_S + 1) * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for `promise` at most `ms`, leaving no timer behind (Jest waits for pending timers). */
const atMost = (promise: Promise<unknown>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
};

let fixture: Fixture | undefined;
let dir: string | undefined;
let nginx: Nginx | undefined;
const replicas: Replica[] = [];
let bothUrl = '';
let oneUrl = '';
let samples: Sample[] = [];
const summary: Record<string, unknown> = {};

/** Test digits this small model gets right, one per class, so every answer has one right class. */
async function pickSamples(replica: Replica, wanted: number): Promise<Sample[]> {
  const picked = new Map<number, Sample>();
  for (let i = 0; i < fixture!.digits.count && picked.size < wanted; i += 1) {
    const label = fixture!.digits.label(i);
    if (picked.has(label)) continue;
    const png = await digitPng(fixture!.digits.image(i));
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'digit.png');
    const answer = (await (await fetch(`${replica.url}/predict`, { method: 'POST', body: form })).json()) as {
      likely_class: number;
      confidence: number;
    };
    if (answer.likely_class === label && answer.confidence > 0.6) picked.set(label, { png, expected: label });
  }
  if (picked.size < wanted) throw new Error(`the fixture model got only ${picked.size} classes right`);
  return [...picked.values()];
}

function describeRun(result: LoadResult) {
  return { requests: result.requests, per_second: Math.round(result.perSecond), failures: result.failures.length };
}

const suite = process.env.SKIP_ROLLING === '1' ? describe.skip : describe;

suite('a rolling restart behind nginx', () => {
  beforeAll(async () => {
    if (!existsSync(NGINX_BIN)) {
      throw new Error(
        `${NGINX_BIN} is missing: this test needs nginx (apt-get install nginx); SKIP_ROLLING=1 skips it`,
      );
    }
    fixture = await makeFixture({ epochs: 2, limit: 3000 });
    dir = await mkdtemp(path.join(tmpdir(), 'lenet-rollout-'));
    const [portA, portB, bothPort, onePort] = (await freePorts(4)) as [number, number, number, number];
    replicas.push(startReplica({ checkpoint: fixture.checkpoint, port: portA }));
    replicas.push(startReplica({ checkpoint: fixture.checkpoint, port: portB }));
    await Promise.all(replicas.map((replica) => waitReady(replica)));
    nginx = await startNginx(dir, [
      { name: 'both', listen: bothPort, backends: [portA, portB] },
      { name: 'one', listen: onePort, backends: [portA] },
    ]);
    bothUrl = `http://127.0.0.1:${bothPort}/predict`;
    oneUrl = `http://127.0.0.1:${onePort}/predict`;
    samples = await pickSamples(replicas[0]!, 4);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) killReplica(replica);
    if (nginx !== undefined && nginx.child.exitCode === null) {
      nginx.child.kill('SIGTERM');
      await atMost(nginx.exited, 5_000);
      if (nginx.child.exitCode === null) nginx.child.kill('SIGKILL');
    }
    await Promise.all(replicas.map((replica) => atMost(replica.exited, 5_000)));
    if (Object.keys(summary).length > 0) {
      // One line in the test output, and a file for the record.
      process.stdout.write(`rolling restart: ${JSON.stringify(summary)}\n`);
      await mkdir(path.join(REPO, 'artifacts'), { recursive: true });
      await writeFile(path.join(REPO, 'artifacts', 'rolling-restart.json'), `${JSON.stringify(summary, null, 2)}\n`);
    }
    await fixture?.remove();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  test('when steady load goes through nginx to one replica and then to two, then every answer is right', async () => {
    const one = startLoad({ url: oneUrl, samples, concurrency: CONCURRENCY, maxSeconds: 30 });
    await sleep(MEASURE_SECONDS * 1000);
    const oneResult = await one.stop();
    const both = startLoad({ url: bothUrl, samples, concurrency: CONCURRENCY, maxSeconds: 30 });
    await sleep(MEASURE_SECONDS * 1000);
    const bothResult = await both.stop();
    summary.concurrency = CONCURRENCY;
    summary.one_replica = describeRun(oneResult);
    summary.two_replicas = describeRun(bothResult);
    expect(oneResult.failures).toEqual([]);
    expect(bothResult.failures).toEqual([]);
    expect(oneResult.ok).toBeGreaterThan(0);
    expect(bothResult.ok).toBeGreaterThan(0);
  }, 60_000);

  test('when each replica in turn gets SIGTERM and is replaced under steady load, then no request fails', async () => {
    const load = startLoad({ url: bothUrl, samples, concurrency: CONCURRENCY, maxSeconds: 50 });
    const exitCodes: Array<number | null> = [];
    try {
      await sleep(1_000);
      for (let i = 0; i < replicas.length; i += 1) {
        const old = replicas[i]!;
        exitCodes.push(await stopReplica(old));
        const fresh = startReplica({ checkpoint: fixture!.checkpoint, port: old.port });
        replicas[i] = fresh;
        await waitReady(fresh);
        await sleep(MIN_READY_MS);
      }
    } finally {
      const result = await load.stop();
      const accessLog = await readFile(path.join(dir!, 'access.log'), 'utf8');
      // "$upstream_status" lists every try: "502, 200" or "-, 200" means nginx sent it to the other replica.
      const retried = accessLog.split('\n').filter((line) => /"[^"]*,[^"]*"$/.test(line)).length;
      summary.rollout = { ...describeRun(result), retried_by_nginx: retried, exit_codes: exitCodes };
      expect(result.failures).toEqual([]);
      expect(result.ok).toBe(result.requests);
      expect(result.requests).toBeGreaterThan(100);
    }
    expect(exitCodes).toEqual([0, 0]);
  }, 90_000);
});
