/**
 * The few Prometheus metric types the server needs, written in the text exposition format
 * (version 0.0.4). A page of code instead of a client library: counters, gauges and histograms
 * with labels, nothing else.
 */

type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels, extra?: string): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function num(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

interface Metric {
  render(): string;
}

abstract class Labelled<T> implements Metric {
  protected readonly series = new Map<string, { labels: Labels; value: T }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: string,
  ) {}

  protected entry(labels: Labels, create: () => T): { labels: Labels; value: T } {
    // Label values are joined in insertion order: callers always pass the same keys in the same order.
    const key = Object.values(labels).join('\u0000');
    let found = this.series.get(key);
    if (found === undefined) {
      found = { labels, value: create() };
      this.series.set(key, found);
    }
    return found;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.series.values()) lines.push(...this.lines(labels, value));
    return lines.join('\n');
  }

  protected abstract lines(labels: Labels, value: T): string[];
}

/**
 * A count that only goes up.
 *
 * @example
 * const c = new Counter('lenet_images_total', 'Images'); c.inc({ result: 'ok' });
 * c.render(); // '# HELP lenet_images_total Images\n# TYPE lenet_images_total counter\nlenet_images_total{result="ok"} 1'
 */
export class Counter extends Labelled<{ n: number }> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    this.entry(labels, () => ({ n: 0 })).value.n += by;
  }
  protected lines(labels: Labels, value: { n: number }): string[] {
    return [`${this.name}${labelText(labels)} ${num(value.n)}`];
  }
}

/**
 * A value read when scraped: set directly, or by `collect` just before rendering.
 *
 * @example
 * const g = new Gauge('lenet_queue_length', 'Queued images', (gauge) => gauge.set({}, queue.length));
 * g.render(); // '...\nlenet_queue_length 3'
 */
export class Gauge extends Labelled<{ n: number }> {
  constructor(
    name: string,
    help: string,
    private readonly collect?: (gauge: Gauge) => void,
  ) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.entry(labels, () => ({ n: 0 })).value.n = value;
  }
  /** Forgets every series, for gauges whose label sets change (workers come and go). */
  reset(): void {
    this.series.clear();
  }
  override render(): string {
    this.collect?.(this);
    return super.render();
  }
  protected lines(labels: Labels, value: { n: number }): string[] {
    return [`${this.name}${labelText(labels)} ${num(value.n)}`];
  }
}

interface HistogramValue {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Observations counted into cumulative buckets.
 *
 * @example
 * const h = new Histogram('lenet_batch_size', 'Images per call', [1, 8, 32]); h.observe({}, 5);
 * h.render(); // '...lenet_batch_size_bucket{le="1"} 0\nlenet_batch_size_bucket{le="8"} 1\n...lenet_batch_size_count 1'
 */
export class Histogram extends Labelled<HistogramValue> {
  constructor(
    name: string,
    help: string,
    private readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(labels: Labels, value: number): void {
    const entry = this.entry(labels, () => ({
      counts: new Array<number>(this.buckets.length).fill(0),
      sum: 0,
      count: 0,
    })).value;
    // Stored per bucket, made cumulative when rendered: one increment per observation.
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i += 1;
    if (i < this.buckets.length) entry.counts[i]! += 1;
    entry.sum += value;
    entry.count += 1;
  }
  protected lines(labels: Labels, value: HistogramValue): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += value.counts[i]!;
      lines.push(`${this.name}_bucket${labelText(labels, `le="${num(le)}"`)} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${labelText(labels, 'le="+Inf"')} ${value.count}`);
    lines.push(`${this.name}_sum${labelText(labels)} ${num(value.sum)}`);
    lines.push(`${this.name}_count${labelText(labels)} ${value.count}`);
    return lines;
  }
}

/**
 * Metrics rendered together as one `/metrics` page.
 *
 * @example
 * const registry = new Registry();
 * registry.add(new Counter('lenet_http_requests_total', 'HTTP requests')).inc({ route: '/predict', status: '200' });
 * registry.render(); // '# HELP lenet_http_requests_total HTTP requests\n# TYPE ...\nlenet_http_requests_total{route="/predict",status="200"} 1\n'
 */
export class Registry {
  private readonly metrics: Metric[] = [];
  add<T extends Metric>(metric: T): T {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}

/** Content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
