import { Command, CommanderError } from 'commander';
import { trainCommand } from './commands/train';
import { testCommand } from './commands/test';
import { inferenceCommand } from './commands/inference';
import { evaluateUploadsCommand } from './commands/evaluate-uploads';
import { serveCommand } from './commands/serve';
import { reportError } from './errors';
import { versionText } from './version';

/**
 * The `lenet` program with all its subcommands.
 *
 * @example
 * buildProgram().commands.map((c) => c.name()); // ['train', 'test', 'inference', 'evaluate-uploads', 'serve']
 */
export function buildProgram(): Command {
  const program = new Command('lenet')
    .description('Train, test and serve a LeNet handwritten-digit classifier (TensorFlow.js)')
    .version(versionText(), '-V, --version', 'print the lenet and TensorFlow.js versions and the installed backends')
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

/**
 * Runs the CLI: one clear line on stderr and exit code 1 for any error; stack traces only with --verbose.
 * `lenet` with no arguments prints the help on stdout and exits 0.
 *
 * @example
 * await main(['node', 'lenet', 'test', '--model', 'output/checkpoint']);
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    process.stdout.write(program.helpInformation());
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own message (or the help or version); keep its exit code (0 for those).
      process.exitCode = error.exitCode;
      return;
    }
    reportError(error, argv.includes('--verbose'));
  }
}
