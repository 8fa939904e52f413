/** A flag or argument the user got wrong; printed as one line, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
