/**
 * Runs an async task on the latest input only, one run at a time, at most once per interval.
 * While a person draws, pointer moves arrive every few milliseconds; the page asks for a prediction
 * at most every 150 ms, never has two requests in flight, and always ends with the final drawing.
 */

/** Options of {@link LatestRunner}. */
export interface LatestRunnerOptions<T> {
  /** The work; its errors are its own business (the runner only keeps going). */
  run: (input: T) => Promise<void>;
  /** Least time between the starts of two runs, unless a submit asks for `immediate`. */
  minIntervalMs: number;
  /** Called with `true` when input starts waiting or running, `false` when all is done. */
  onBusyChange?: (busy: boolean) => void;
}

/**
 * @example
 * const runner = new LatestRunner({ run: predict, minIntervalMs: 150 });
 * runner.submit(drawing1); runner.submit(drawing2); runner.submit(drawing3);
 * // predict(drawing1) now, then predict(drawing3) when it is done and 150 ms have passed
 */
export class LatestRunner<T> {
  private pending: { input: T; immediate: boolean } | null = null;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private busy = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: LatestRunnerOptions<T>) {}

  /**
   * Makes `input` the next thing to run, replacing any input still waiting.
   *
   * @param immediate - skip the interval (a pointer was lifted: the drawing is complete)
   */
  submit(input: T, immediate = false): void {
    this.pending = { input, immediate: immediate || this.pending?.immediate === true };
    this.setBusy(true);
    if (immediate && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump(immediate);
  }

  /** Drops input that has not started yet (the canvas was cleared). The current run finishes. */
  cancelPending(): void {
    this.pending = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) this.setBusy(false);
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private pump(immediate: boolean): void {
    if (this.running || this.pending === null || this.timer !== null) return;
    const wait = immediate ? 0 : this.lastStart + this.options.minIntervalMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump(true);
      }, wait);
      return;
    }
    const { input } = this.pending;
    this.pending = null;
    this.running = true;
    this.lastStart = performance.now();
    this.options
      .run(input)
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        if (this.pending === null) this.setBusy(false);
        else this.pump(this.pending.immediate);
      });
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.options.onBusyChange?.(busy);
    if (!busy) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
