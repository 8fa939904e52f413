/**
 * Steady, bounded load for the rollout test: a few concurrent loops, each POSTing a real digit PNG to
 * /predict and checking the answer, until told to stop (or a hard time limit).
 */

/** One digit to send and the class every answer must name. */
export interface Sample {
  png: Uint8Array;
  expected: number;
}

/** What went wrong, one entry per failed request. */
export interface Failure {
  kind: 'status' | 'connection' | 'wrong-class';
  detail: string;
}

/** The tally of a run. */
export interface LoadResult {
  requests: number;
  ok: number;
  failures: Failure[];
  seconds: number;
  perSecond: number;
}

/** A running load; `stop` ends every loop after its current request. */
export interface Load {
  stop(): Promise<LoadResult>;
}

const BOUNDARY = 'lenet-rollout-boundary';

function multipart(png: Uint8Array): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="digit.png"\r\nContent-Type: image/png\r\n\r\n`;
  return Buffer.concat([
    Buffer.from(head, 'latin1'),
    Buffer.from(png),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1'),
  ]);
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Starts `concurrency` loops of `POST url` (multipart field `file`), cycling through `samples`. Every
 * loop ends after `maxSeconds` even if `stop` is never called.
 *
 * @example
 * const load = startLoad({ url: 'http://127.0.0.1:8080/predict', samples, concurrency: 8, maxSeconds: 60 });
 * await sleep(3000);
 * await load.stop(); // { requests: 912, ok: 912, failures: [], seconds: 3.0, perSecond: 304 }
 */
export function startLoad(options: {
  url: string;
  samples: readonly Sample[];
  concurrency: number;
  maxSeconds: number;
}): Load {
  const bodies = options.samples.map((sample) => ({ body: multipart(sample.png), expected: sample.expected }));
  const started = performance.now();
  const deadline = Date.now() + options.maxSeconds * 1000;
  let stopped = false;
  let requests = 0;
  let ok = 0;
  const failures: Failure[] = [];
  const loop = async (offset: number) => {
    for (let i = offset; !stopped && Date.now() < deadline; i += 1) {
      const sample = bodies[i % bodies.length]!;
      requests += 1;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          body: sample.body,
          headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.status < 200 || response.status > 299) {
          failures.push({ kind: 'status', detail: `${response.status} ${text.slice(0, 200)}` });
        } else {
          const answer = JSON.parse(text) as { likely_class?: number };
          if (answer.likely_class === sample.expected) ok += 1;
          else failures.push({ kind: 'wrong-class', detail: `expected ${sample.expected}, got ${text.slice(0, 200)}` });
        }
      } catch (error) {
        failures.push({ kind: 'connection', detail: describeError(error) });
      }
    }
  };
  const loops = Array.from({ length: options.concurrency }, (_, i) => loop(i));
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      const seconds = (performance.now() - started) / 1000;
      return { requests, ok, failures, seconds, perSecond: requests / seconds };
    },
  };
}
