import { Command } from 'commander';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The value of `--model` (or MODEL) among raw server flags, as the server itself will read it. */
function modelPath(flags: string[]): string {
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i] as string;
    if (flag === '--model') return flags[i + 1] ?? '';
    if (flag.startsWith('--model=')) return flag.slice('--model='.length);
  }
  return process.env.MODEL ?? 'output/checkpoint';
}

/**
 * `lenet serve`: hands its flags to `@lenet/server` (the same flags and env variables as
 * `apps/server/bin/lenet-server.js`; `lenet serve --help` lists them). `--train-if-missing` first
 * trains on the embedded data with the default settings when the checkpoint does not exist yet,
 * which is what `npm start` does on a fresh clone.
 */
export function serveCommand(runTrain: (outputDir: string) => Promise<void>): Command {
  return new Command('serve')
    .description(
      'serve a checkpoint over HTTP: POST /predict, the web page at /, /docs, /healthz, /readyz, /metrics (lenet serve --help lists the flags)',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument(
      '[flags...]',
      'server flags: --model, --port, --host, --workers, --max-batch, --max-delay-ms, --max-upload-mb, --log-level, ...',
    )
    .action(async (flags: string[]) => {
      const serverFlags = flags.filter((flag) => flag !== '--train-if-missing');
      if (serverFlags.length !== flags.length) {
        const model = modelPath(serverFlags);
        if (!existsSync(model)) {
          process.stdout.write(
            `no checkpoint at ${model}: training one first on the embedded data (lenet train --output ${path.dirname(model)})\n`,
          );
          await runTrain(path.dirname(model));
        }
      }
      // Loaded on demand: only this command needs Express and the worker pool.
      const { main } = require('@lenet/server') as typeof import('@lenet/server');
      await main(serverFlags);
    });
}
