/** A flag or argument the user got wrong; printed as one line, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The one line the CLI prints for an error: its message, plus its cause's when the message does not
 * already include it.
 *
 * @example
 * errorLine(new Error('cannot read model.json', { cause: new Error('EACCES') })); // 'cannot read model.json (EACCES)'
 */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * Prints `error: <line>` on stderr (and the stack with `verbose`) and sets exit code 1: what every
 * entry point of this app (the `lenet` commands and the benchmarks) does with an error it cannot handle.
 *
 * @example
 * reportError(new UsageError('--runs: expected a positive integer, found 0'), false); // stderr: "error: --runs: ..."
 */
export function reportError(error: unknown, verbose: boolean): void {
  process.stderr.write(`error: ${errorLine(error)}\n`);
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exitCode = 1;
}
