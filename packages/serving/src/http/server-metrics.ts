import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Batcher } from '../worker/batcher';
import type { BatchStats, ModelIdentity, WorkerPool } from '../worker/worker-pool';
import { Counter, Gauge, Histogram, Registry } from './prometheus';

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The server's metrics and the hooks that feed them. */
export interface ServerMetrics {
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
 * Builds the `/metrics` registry: requests by route and status, latency, batch sizes, queue
 * length, preprocessing and inference time, worker tensors, and process memory.
 *
 * @example
 * const metrics = createServerMetrics({ pool, batcher, identity, maxQueue: 512 });
 * metrics.request('POST', '/predict', 200, 0.004);
 * metrics.registry.render(); // '... lenet_http_requests_total{method="POST",route="/predict",status="200"} 1 ...'
 */
export function createServerMetrics(sources: {
  pool: WorkerPool;
  batcher: Batcher;
  identity: ModelIdentity;
  maxQueue: number;
}): ServerMetrics {
  const { pool, batcher, identity, maxQueue } = sources;
  const registry = new Registry();
  const requests = registry.add(new Counter('lenet_http_requests_total', 'HTTP requests by method, route and status.'));
  const latency = registry.add(
    new Histogram('lenet_http_request_duration_seconds', 'Time from request to response, by route.', SECONDS),
  );
  const images = registry.add(
    new Counter('lenet_images_total', "Images classified ('ok') or rejected (by error code)."),
  );
  const batchSize = registry.add(
    new Histogram('lenet_batch_size', 'Images per model call.', [1, 2, 4, 8, 16, 32, 64, 128, 256]),
  );
  const inference = registry.add(
    new Histogram('lenet_inference_seconds', 'Time of one model call on a batch, in the worker.', SECONDS),
  );
  const preprocess = registry.add(
    new Histogram('lenet_preprocess_seconds', 'Decoding and preprocessing time of one image, in the worker.', SECONDS),
  );
  registry.add(new Gauge('lenet_queue_length', 'Images waiting for a worker.', (g) => g.set({}, batcher.queueLength)));
  registry.add(
    new Gauge('lenet_queue_capacity', 'Most images that may wait before requests get 503 OVERLOADED.', (g) =>
      g.set({}, maxQueue),
    ),
  );
  registry.add(
    new Gauge('lenet_images_in_flight', 'Images sent to workers and not answered yet.', (g) =>
      g.set({}, batcher.inFlightCount),
    ),
  );
  registry.add(
    new Gauge('lenet_workers_ready', 'Worker threads ready to classify.', (g) => g.set({}, pool.readyCount)),
  );
  registry.add(
    new Gauge('lenet_worker_restarts', 'Workers started to replace ones that crashed or hung.', (g) =>
      g.set({}, pool.restartCount),
    ),
  );
  registry.add(
    new Gauge('lenet_worker_tensors', 'tf.memory().numTensors in each worker after its last batch.', (g) => {
      g.reset();
      for (const worker of pool.workers) g.set({ worker: String(worker.id) }, worker.numTensors);
    }),
  );
  registry.add(
    new Gauge('lenet_model_info', 'The model being served; value is always 1.', (g) => {
      g.set({ epoch: identity.epoch === null ? '' : String(identity.epoch), weights_hash: identity.weightsHash }, 1);
    }),
  );
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  registry.add(
    new Gauge(
      'nodejs_eventloop_delay_seconds',
      'Event-loop delay of the HTTP thread over the last scrape interval.',
      (g) => {
        g.set({ quantile: '0.5' }, loopDelay.percentile(50) / 1e9);
        g.set({ quantile: '0.99' }, loopDelay.percentile(99) / 1e9);
        g.set({ quantile: '1' }, loopDelay.max / 1e9);
        loopDelay.reset();
      },
    ),
  );
  registry.add(
    new Gauge('process_resident_memory_bytes', 'Resident memory of the whole process (all threads).', (g) =>
      g.set({}, process.memoryUsage.rss()),
    ),
  );
  registry.add(
    new Gauge('nodejs_heap_used_bytes', 'V8 heap in use on the HTTP thread.', (g) =>
      g.set({}, process.memoryUsage().heapUsed),
    ),
  );
  registry.add(
    new Gauge('process_cpu_seconds_total', 'User and system CPU time of the process.', (g) => {
      const { user, system } = process.cpuUsage();
      g.set({}, (user + system) / 1e6);
    }),
  );
  const startTime = Date.now() / 1000 - process.uptime();
  registry.add(
    new Gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch.', (g) =>
      g.set({}, startTime),
    ),
  );

  return {
    registry,
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    batch(stats) {
      batchSize.observe({}, stats.size);
      if (stats.inferenceSeconds > 0) inference.observe({}, stats.inferenceSeconds);
      for (const seconds of stats.preprocessSeconds) preprocess.observe({}, seconds);
    },
    image(outcome) {
      images.inc({ result: outcome });
    },
    stop() {
      loopDelay.disable();
    },
  };
}
