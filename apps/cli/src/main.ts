import { Command, CommanderError } from 'commander';
import { trainCommand } from './commands/train';
import { testCommand } from './commands/test';
import { inferenceCommand } from './commands/inference';
import { evaluateUploadsCommand } from './commands/evaluate-uploads';
import { serveCommand } from './commands/serve';

/** The `lenet` program with all its subcommands. */
export function buildProgram(): Command {
  const program = new Command('lenet')
    .description('Train, test and serve a LeNet handwritten-digit classifier (TensorFlow.js)')
    .option('--verbose', 'print stack traces of errors')
    .exitOverride();
  const trainFirst = async (outputDir: string) => {
    await buildProgram().parseAsync(['node', 'lenet', 'train', '--output', outputDir]);
  };
  for (const command of [
    trainCommand(),
    testCommand(),
    inferenceCommand(),
    evaluateUploadsCommand(),
    serveCommand(trainFirst),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/**
 * Runs the CLI: one clear line on stderr and exit code 1 for any error; stack traces only with --verbose.
 *
 * @example
 * await main(['node', 'lenet', 'test', '--model', 'output/checkpoint']);
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own message (or the help); keep its exit code (0 for --help).
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`error: ${describe(error)}\n`);
    if (argv.includes('--verbose') && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
