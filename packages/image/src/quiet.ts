/**
 * Silences third-party console output around a synchronous call: jimp's codecs print to stdout
 * (omggif: `Warning, gif stream shorter than expected.`), which would land inside a server's JSON
 * log or a CLI's result line. Only synchronous code is wrapped, so no other work of ours can write
 * while the console is muted.
 */

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Runs `fn` with `console` and `process.stdout`/`stderr` writes discarded, and returns its result
 * together with the lines that were dropped (for tests and for a caller that wants to log them).
 *
 * @example
 * const { result, dropped } = quietly(() => { console.log('Warning, gif stream shorter than expected.'); return 1; });
 * [result, dropped]; // [1, ['Warning, gif stream shorter than expected.']]
 */
export function quietly<T>(fn: () => T): { result: T; dropped: string[] } {
  const dropped: string[] = [];
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  const { stdout, stderr } = process;
  const writes = [stdout.write, stderr.write] as const;
  const drop = (...args: unknown[]) => {
    dropped.push(args.map(String).join(' '));
  };
  for (const method of CONSOLE_METHODS) console[method] = drop;
  const dropWrite = ((chunk: unknown) => {
    dropped.push(String(chunk).replace(/\n$/, ''));
    return true;
  }) as typeof stdout.write;
  stdout.write = dropWrite;
  stderr.write = dropWrite;
  try {
    return { result: fn(), dropped };
  } finally {
    for (const [method, original] of saved) console[method] = original;
    [stdout.write, stderr.write] = writes;
  }
}
