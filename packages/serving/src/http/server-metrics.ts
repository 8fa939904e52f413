import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Batcher } from '../worker/batcher';
import type { BatchStats, ModelIdentity, WorkerPool } from '../worker/worker-pool';

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Content type of the text exposition format (version 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** The server's metrics and the hooks that feed them. */
export interface ServerMetrics {
  /** This server's own registry (never prom-client's global one), rendered by `/metrics`. */
  registry: Registry;
  /** One finished HTTP request. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** One finished worker batch. */
  batch(stats: BatchStats): void;
  /** Outcome of one image: 'ok' or an error code. */
  image(outcome: string): void;
  /** Stops the event-loop delay monitor. */
  stop(): void;
}

/**
 * A child of a labelled metric per distinct key, made once: prom-client hashes the label object on
 * every `inc`/`observe`, which the per-request path can do without.
 */
function cached<T>(make: (key: string) => T): (key: string) => T {
  const children = new Map<string, T>();
  return (key) => {
    let child = children.get(key);
    if (child === undefined) {
      child = make(key);
      children.set(key, child);
    }
    return child;
  };
}

/** Gauges read from the pool and batcher when scraped. */
function poolGauges(registry: Registry, sources: Parameters<typeof createServerMetrics>[0]): void {
  const { pool, batcher, identity, maxQueue } = sources;
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect: function collect() {
        this.set(read());
      },
    });
  gauge('lenet_queue_length', 'Images waiting for a worker.', () => batcher.queueLength);
  gauge('lenet_queue_capacity', 'Most images that may wait before requests get 503 OVERLOADED.', () => maxQueue);
  gauge('lenet_images_in_flight', 'Images sent to workers and not answered yet.', () => batcher.inFlightCount);
  gauge('lenet_workers_ready', 'Worker threads ready to classify.', () => pool.readyCount);
  gauge('lenet_worker_restarts', 'Workers started to replace ones that crashed or hung.', () => pool.restartCount);
  new Gauge({
    name: 'lenet_worker_tensors',
    help: 'tf.memory().numTensors in each worker after its last batch.',
    labelNames: ['worker'],
    registers,
    collect() {
      // Workers come and go: forget the series of ones that are gone.
      this.reset();
      for (const worker of pool.workers) this.set({ worker: String(worker.id) }, worker.numTensors);
    },
  });
  new Gauge({
    name: 'lenet_model_info',
    help: 'The model being served; value is always 1.',
    labelNames: ['epoch', 'weights_hash'],
    registers,
    collect() {
      this.set({ epoch: identity.epoch === null ? '' : String(identity.epoch), weights_hash: identity.weightsHash }, 1);
    },
  });
}

/**
 * Builds the `/metrics` registry (prom-client, one per server so two servers in one process keep
 * apart): requests by route and status, latency, batch sizes, queue length, preprocessing and
 * inference time, worker tensors, and prom-client's default process and Node metrics (memory,
 * CPU, event-loop lag, heap spaces, GC, handles).
 *
 * @example
 * const metrics = createServerMetrics({ pool, batcher, identity, maxQueue: 512 });
 * metrics.request('POST', '/predict', 200, 0.004);
 * await metrics.registry.metrics(); // '... lenet_http_requests_total{method="POST",route="/predict",status="200"} 1 ...'
 */
export function createServerMetrics(sources: {
  pool: WorkerPool;
  batcher: Batcher;
  identity: ModelIdentity;
  maxQueue: number;
}): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'lenet_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const latency = new Histogram({
    name: 'lenet_http_request_duration_seconds',
    help: 'Time from request to response, by route.',
    labelNames: ['route'],
    buckets: SECONDS,
    registers,
  });
  const images = new Counter({
    name: 'lenet_images_total',
    help: "Images classified ('ok') or rejected (by error code).",
    labelNames: ['result'],
    registers,
  });
  const batchSize = new Histogram({
    name: 'lenet_batch_size',
    help: 'Images per model call.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const inference = new Histogram({
    name: 'lenet_inference_seconds',
    help: 'Time of one model call on a batch, in the worker.',
    buckets: SECONDS,
    registers,
  });
  const preprocess = new Histogram({
    name: 'lenet_preprocess_seconds',
    help: 'Decoding and preprocessing time of one image, in the worker.',
    buckets: SECONDS,
    registers,
  });
  poolGauges(registry, sources);

  // Kept from the hand-written exposition (a contract); prom-client's defaults add the
  // nodejs_eventloop_lag_* and nodejs_heap_size_* families beside them.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  new Gauge({
    name: 'nodejs_eventloop_delay_seconds',
    help: 'Event-loop delay of the HTTP thread over the last scrape interval.',
    labelNames: ['quantile'],
    registers,
    collect() {
      this.set({ quantile: '0.5' }, loopDelay.percentile(50) / 1e9);
      this.set({ quantile: '0.99' }, loopDelay.percentile(99) / 1e9);
      this.set({ quantile: '1' }, loopDelay.max / 1e9);
      loopDelay.reset();
    },
  });
  new Gauge({
    name: 'nodejs_heap_used_bytes',
    help: 'V8 heap in use on the HTTP thread.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  // process_resident_memory_bytes, process_cpu_seconds_total, process_start_time_seconds and the rest.
  collectDefaultMetrics({ register: registry });

  const requestChild = cached((key) => requests.labels(...(key.split('\u0001') as [string, string, string])));
  const latencyChild = cached((route) => latency.labels(route));
  const imageChild = cached((result) => images.labels(result));
  return {
    registry,
    request(method, route, status, seconds) {
      requestChild(`${method}\u0001${route}\u0001${status}`).inc();
      latencyChild(route).observe(seconds);
    },
    batch(stats) {
      batchSize.observe(stats.size);
      if (stats.inferenceSeconds > 0) inference.observe(stats.inferenceSeconds);
      for (const seconds of stats.preprocessSeconds) preprocess.observe(seconds);
    },
    image(outcome) {
      imageChild(outcome).inc();
    },
    stop() {
      loopDelay.disable();
    },
  };
}
