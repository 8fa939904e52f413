import { ConfigError, parseServerConfig, serverUsage, startServer } from '@lenet/serving';
import { createLogger } from './logger';

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * Runs the server from the command line: `args` are the flags only (as `lenet serve` passes them,
 * or `process.argv.slice(2)` from `bin/lenet-server.js`), `env` supplies PORT, MODEL, ... .
 * Serves until SIGTERM or SIGINT, then drains and exits 0. A bad flag, a missing or corrupt
 * checkpoint or a taken port prints one line to stderr and sets exit code 1.
 *
 * @example
 * await main(['--model', 'output/checkpoint', '--port', '8000']);
 * // stdout: {"level":"info","message":"listening on http://127.0.0.1:8000 (docs: http://127.0.0.1:8000/docs)",...}
 */
export async function main(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${serverUsage()}\n`);
    return;
  }
  let server;
  try {
    const config = parseServerConfig(args, env);
    server = await startServer(config, { logger: createLogger({ level: config.logLevel }) });
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    if (!(error instanceof ConfigError) && args.includes('--verbose') && error instanceof Error)
      process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 1;
    return;
  }
  const running = server;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: the operator wants out now.
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    running.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`error: shutdown failed: ${describe(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
