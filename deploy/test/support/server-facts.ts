/**
 * What the real server says about itself, for checking the deployment files against it: the
 * environment variables and defaults from `lenet-server --help`, and the routes it answers.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository root. */
export const REPO = path.resolve(__dirname, '..', '..', '..');
/** The built server entry point (`npx tsc -b` first, as `npm test` does). */
export const SERVER_BIN = path.join(REPO, 'apps', 'server', 'bin', 'lenet-server.js');

/** One flag of the server as `--help` lists it. */
export interface ServerSetting {
  flag: string;
  env: string;
  /** The default as `--help` words it: '8000', 'one per core', ... */
  defaultText: string;
}

/**
 * Parses `--help` rows such as `  --port <value>   TCP port; ... (env PORT; default 8000)`. A row is
 * read from its flag and its closing `(env NAME; default TEXT)`, so the help text between them (and
 * its padding) may say anything.
 *
 * @example
 * parseServerHelp('  --port <value>   TCP port (env PORT; default 8000)');
 * // [{ flag: '--port', env: 'PORT', defaultText: '8000' }]
 */
export function parseServerHelp(help: string): ServerSetting[] {
  const settings: ServerSetting[] = [];
  for (const line of help.split('\n')) {
    const match = /^\s+(--[a-z0-9-]+)\b.*\(env ([A-Z][A-Z0-9_]*); default ([^()]*)\)\s*$/.exec(line);
    if (match !== null) settings.push({ flag: match[1]!, env: match[2]!, defaultText: match[3]!.trim() });
  }
  return settings;
}

/**
 * Runs the real `lenet-server --help` and parses it.
 *
 * @example
 * readServerSettings().find((s) => s.env === 'PORT')?.defaultText; // '8000'
 */
export function readServerSettings(): ServerSetting[] {
  const help = execFileSync(process.execPath, [SERVER_BIN, '--help'], { encoding: 'utf8', timeout: 30_000 });
  const settings = parseServerHelp(help);
  if (settings.length === 0) throw new Error(`lenet-server --help listed no "(env NAME; default ...)" rows:\n${help}`);
  return settings;
}

/**
 * The default of one variable as a number.
 *
 * @example
 * numericDefault(settings, 'SHUTDOWN_TIMEOUT_MS'); // 10000
 */
export function numericDefault(settings: readonly ServerSetting[], env: string): number {
  const setting = settings.find((s) => s.env === env);
  const value = Number(setting?.defaultText);
  if (setting === undefined || !Number.isFinite(value)) {
    throw new Error(
      `lenet-server --help: expected a numeric default for ${env}, found ${setting?.defaultText ?? 'no such variable'}`,
    );
  }
  return value;
}
