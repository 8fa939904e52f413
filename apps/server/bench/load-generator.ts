/**
 * Drives a running server with wrk (preferred: written in C, it leaves the cores to the server)
 * or, where wrk is not installed, autocannon (Node, takes most of a core itself).
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** One load run against one URL. */
export interface LoadRun {
  url: string;
  /** Complete multipart body to POST. */
  body: Buffer;
  contentType: string;
  connections: number;
  seconds: number;
}

/** What one run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses other than 2xx, plus socket errors and timeouts. */
  errors: number;
}

/** A load generator: name and version, and how to run it. */
export interface LoadGenerator {
  name: string;
  run(load: LoadRun, workDir: string): Promise<LoadResult>;
}

function wrkVersion(): string | null {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'pipe' });
  } catch (error) {
    // wrk prints its version and exits 1; a missing binary is ENOENT.
    const failure = error as { code?: string; stdout?: Buffer };
    if (failure.code === 'ENOENT') return null;
    return /wrk (\S+)/.exec(failure.stdout?.toString() ?? '')?.[1] ?? 'unknown';
  }
  return 'unknown';
}

/** wrk prints durations as 812.00us, 3.21ms, 1.02s. */
function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
}

/**
 * Parses wrk's `--latency` report.
 *
 * @example
 * parseWrk('  Latency Distribution\n     50%    2.10ms\n ...\n     99%   11.52ms\n  8000 requests in 5.00s, ...\nRequests/sec:   1600.00\n');
 * // { requestsPerSecond: 1600, p50Ms: 2.1, p99Ms: 11.52, requests: 8000, errors: 0 }
 */
export function parseWrk(output: string): LoadResult {
  const number = (re: RegExp) => Number(re.exec(output)?.[1] ?? Number.NaN);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = number(/Non-2xx or 3xx responses: (\d+)/) || 0;
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    requests: number(/(\d+) requests in/),
    errors: errors + (socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0)),
  };
}

const wrk = (version: string): LoadGenerator => ({
  name: `wrk ${version}`,
  async run(load, workDir) {
    const bodyFile = path.join(workDir, `body-${load.body.length}.bin`);
    const script = path.join(workDir, `post-${load.body.length}.lua`);
    await writeFile(bodyFile, load.body);
    await writeFile(
      script,
      [
        `local f = io.open(${JSON.stringify(bodyFile)}, "rb")`,
        'wrk.body = f:read("*all")',
        'f:close()',
        'wrk.method = "POST"',
        `wrk.headers["Content-Type"] = ${JSON.stringify(load.contentType)}`,
      ].join('\n'),
    );
    const output = await new Promise<string>((resolve, reject) => {
      // One thread: enough for 64 connections, and it leaves the cores to the server.
      execFile(
        'wrk',
        ['-t1', `-c${load.connections}`, `-d${load.seconds}s`, '--timeout', '10s', '--latency', '-s', script, load.url],
        (error, stdout) => {
          if (error !== null) reject(error);
          else resolve(stdout);
        },
      );
    });
    return parseWrk(output);
  },
});

const autocannon: LoadGenerator = {
  name: 'autocannon',
  async run(load) {
    // Loaded only when wrk is missing (a devDependency of @lenet/server); it ships no types.
    const run = require('autocannon') as (options: object) => Promise<{
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      non2xx: number;
      errors: number;
      timeouts: number;
    }>;
    const result = await run({
      url: load.url,
      method: 'POST',
      body: load.body,
      headers: { 'content-type': load.contentType },
      connections: load.connections,
      duration: load.seconds,
    });
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      errors: result.non2xx + result.errors + result.timeouts,
    };
  },
};

/**
 * wrk when it is on the PATH (`apt-get install wrk`), else autocannon.
 *
 * @example
 * pickLoadGenerator().name; // 'wrk 4.1.0' or 'autocannon'
 */
export function pickLoadGenerator(): LoadGenerator {
  const version = wrkVersion();
  return version === null ? autocannon : wrk(version);
}
