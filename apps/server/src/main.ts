import { ConfigError, parseServerConfig, runServer, serverUsage } from '@lenet/serving';
import { createLogger, resolveLogFormat } from './logger';

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * Runs the server from the command line: `args` are the flags only (as `bin/lenet-server.js` passes
 * `process.argv.slice(2)`), `env` supplies PORT, MODEL, ... . Serves until SIGTERM or SIGINT, then
 * drains and resolves (exit code 0); a second signal exits 1 at once. A bad flag, a missing or
 * corrupt checkpoint or a taken port prints one line to stderr and sets exit code 1 (`--verbose`
 * adds the stack).
 *
 * @example
 * await main(['--model', 'output/checkpoint', '--port', '8000']);
 * // stdout (a terminal): 12:00:00 backend: wasm (...)
 * //                      12:00:00 image decoder: jimp
 * //                      ...
 * //                      lenet serving output/checkpoint (epoch 30, test accuracy 98.65%) at http://127.0.0.1:8000 - open it in a browser; Ctrl-C to stop
 */
export async function main(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${serverUsage()}\n`);
    return;
  }
  const verbose = args.includes('--verbose');
  let run: Awaited<ReturnType<typeof runServer>>;
  try {
    const config = parseServerConfig(
      args.filter((arg) => arg !== '--verbose'),
      env,
    );
    const format = resolveLogFormat(config.logFormat, process.stdout.isTTY === true);
    const logger = createLogger({ level: config.logLevel, format });
    run = await runServer(config, {
      logger,
      // On a terminal the banner is the line a person looks for: no time or level in front of it.
      announce: (banner) => (format === 'text' ? process.stdout.write(`${banner}\n`) : logger.info(banner)),
      onSecondSignal: (signal) => {
        process.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(1);
      },
    });
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    if (!(error instanceof ConfigError) && verbose && error instanceof Error)
      process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    await run.stopped;
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`error: shutdown failed: ${describe(error)}\n`);
    process.exitCode = 1;
  }
}
