import * as os from 'node:os';
import type { Command } from 'commander';

/**
 * The machine a figure was measured on, as every benchmark's JSON reports it.
 *
 * @example
 * machineInfo(); // { cpu: 'AMD EPYC', cores: 2, node: 'v20.20.2' }
 */
export function machineInfo(): { cpu: string; cores: number; node: string } {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version };
}

/**
 * Parses the process arguments with a benchmark's command and runs it; an error is one line on
 * stderr and exit code 1.
 *
 * @example
 * runBenchCommand(new Command('bench-train').action(bench));
 */
export function runBenchCommand(command: Command): void {
  command.parseAsync(process.argv).catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
