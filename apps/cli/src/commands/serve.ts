import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import winston from 'winston';
import type { ServerConfig } from '@lenet/serving';
import { SERVER_FLAGS } from '@lenet/serving/flags';

/**
 * The serving library, loaded when `serve` runs: only this command needs Express and the worker pool.
 * Its flag table (`@lenet/serving/flags`) is light and builds the options for every `--help`.
 */
const serving = () => require('@lenet/serving') as typeof import('@lenet/serving');

/** Server flags as commander options, from the server's one table (so `--help` lists every one). */
function serverOptions(): Array<{ option: Option; flag: string }> {
  return SERVER_FLAGS.map((f) => ({
    flag: f.flag,
    option: new Option(`${f.flag} <value>`, `${f.help} (env ${f.env}; default ${f.defaultText})`),
  }));
}

/** A winston logger writing what `lenet-server` writes: text lines on a terminal, JSON lines otherwise. */
function createLogger(config: ServerConfig, format: 'json' | 'text'): winston.Logger {
  const { textLogLine } = serving();
  const line = format === 'text' ? winston.format.printf((info) => textLogLine(info)) : winston.format.json();
  return winston.createLogger({
    level: config.logLevel,
    format: winston.format.combine(winston.format.timestamp(), line),
    transports: [new winston.transports.Console()],
  });
}

/**
 * `lenet serve`: the server from `@lenet/serving`, with the same flags and environment variables as
 * `lenet-server` (its one flag table builds this command's options). `--train-if-missing` first trains
 * on the embedded data with the default settings when the checkpoint does not exist yet, which is
 * what `npm start` does on a fresh clone.
 */
export function serveCommand(runTrain: (outputDir: string) => Promise<void>): Command {
  const options = serverOptions();
  const command = new Command('serve').description(
    'serve a checkpoint over HTTP: POST /predict, the web page at /, /docs, /healthz, /readyz, /metrics',
  );
  for (const { option } of options) command.addOption(option);
  return command
    .option('--train-if-missing', 'train a checkpoint at --model first (lenet train defaults) when there is none')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { parseServerConfig, runServer } = serving();
      const args = options.flatMap(({ option, flag }) => {
        const value = flags[option.attributeName()];
        return typeof value === 'string' ? [flag, value] : [];
      });
      const config = parseServerConfig(args, process.env);
      if (flags.trainIfMissing === true && !existsSync(config.model)) {
        process.stdout.write(
          `no checkpoint at ${config.model}: training one first on the embedded data (lenet train --output ${path.dirname(config.model)})\n`,
        );
        await runTrain(path.dirname(config.model));
      }
      const format = config.logFormat === 'auto' ? (process.stdout.isTTY === true ? 'text' : 'json') : config.logFormat;
      const logger = createLogger(config, format);
      const { stopped } = await runServer(config, {
        logger,
        announce: (banner) => (format === 'text' ? process.stdout.write(`${banner}\n`) : logger.info(banner)),
        onSecondSignal: (signal) => {
          process.stderr.write(`${signal} again: exiting without waiting\n`);
          process.exit(1);
        },
      });
      await stopped;
    });
}
