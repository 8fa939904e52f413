import { LatestRunner } from './latest-runner';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A runner whose task takes `taskMs` and records what it ran and when. */
function recordingRunner(taskMs: number, minIntervalMs: number) {
  const runs: Array<{ input: number; at: number }> = [];
  const busy: boolean[] = [];
  let active = 0;
  let maxActive = 0;
  const started = performance.now();
  const runner = new LatestRunner<number>({
    minIntervalMs,
    onBusyChange: (value) => busy.push(value),
    run: async (input) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs.push({ input, at: performance.now() - started });
      await sleep(taskMs);
      active -= 1;
      if (input < 0) throw new Error('failing task');
    },
  });
  return { runner, runs, busy, maxActive: () => maxActive };
}

describe('LatestRunner', () => {
  test('when inputs arrive faster than the task runs, then only the first and the latest run, one at a time', async () => {
    const { runner, runs, maxActive } = recordingRunner(30, 0);
    for (let input = 1; input <= 5; input += 1) runner.submit(input);
    await runner.idle();
    expect(runs.map((run) => run.input)).toEqual([1, 5]);
    expect(maxActive()).toBe(1);
  });

  test('when inputs keep coming, then runs start at most once per interval', async () => {
    const { runner, runs } = recordingRunner(1, 60);
    for (let i = 0; i < 10; i += 1) {
      runner.submit(i);
      await sleep(15);
    }
    await runner.idle();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(55);
    expect(runs[runs.length - 1]!.input).toBe(9);
  });

  test('when a submit is immediate, then it does not wait for the interval', async () => {
    const { runner, runs } = recordingRunner(1, 10_000);
    runner.submit(1);
    await runner.idle();
    runner.submit(2, true);
    await runner.idle();
    expect(runs.map((run) => run.input)).toEqual([1, 2]);
  });

  test('when a task fails, then the runner goes on with the next input and reports busy, then idle', async () => {
    const { runner, runs, busy } = recordingRunner(5, 0);
    runner.submit(-1);
    runner.submit(2);
    await runner.idle();
    expect(runs.map((run) => run.input)).toEqual([-1, 2]);
    expect(busy).toEqual([true, false]);
  });

  test('when pending input is cancelled, then it never runs', async () => {
    const { runner, runs } = recordingRunner(20, 0);
    runner.submit(1);
    runner.submit(2);
    runner.cancelPending();
    await runner.idle();
    expect(runs.map((run) => run.input)).toEqual([1]);
  });
});
