import * as os from 'node:os';
import type { Command } from 'commander';
import { reportError } from '../src/errors';

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
 * Peak resident memory of this process so far, in MB (the kernel's high-water mark, not a sample).
 *
 * @example
 * rssPeakMb(); // 212.4
 */
export function rssPeakMb(): number {
  return Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
}

/**
 * Parses the process arguments with a benchmark's command (commander, like every `lenet` command)
 * and runs it; an error is one line on stderr and exit code 1, as in the CLI.
 *
 * @example
 * runBenchCommand(new Command('bench-train').action(bench));
 */
export function runBenchCommand(command: Command): void {
  command.parseAsync(process.argv).catch((error: unknown) => reportError(error, process.argv.includes('--verbose')));
}
