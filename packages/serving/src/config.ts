import { availableParallelism } from 'node:os';
import { ConfigError } from './errors';
import { FLAG_SPECS, type FlagSpec, SERVER_DEFAULT_MAX_PIXELS, SERVER_FLAGS, type ServerConfig } from './server-flags';

export {
  BACKENDS,
  DECODERS,
  LOG_FORMATS,
  LOG_LEVELS,
  SERVER_DEFAULT_MAX_PIXELS,
  SERVER_FLAGS,
  type ServerConfig,
  type ServerFlag,
} from './server-flags';

/** Settings whose defaults are fixed; `workers` and `maxQueue` are computed in {@link parseServerConfig}. */
const FIXED_DEFAULTS: Omit<ServerConfig, 'workers' | 'maxQueue'> = {
  port: 8000,
  host: '127.0.0.1',
  model: 'output/checkpoint',
  maxBatch: 32,
  maxDelayMs: 2,
  maxUploadMb: 10,
  maxPixels: SERVER_DEFAULT_MAX_PIXELS,
  maxFiles: 16,
  decodeTimeoutMs: 2000,
  workerMemoryMb: 512,
  backend: 'auto',
  decoder: 'auto',
  logLevel: 'info',
  logFormat: 'auto',
  shutdownTimeoutMs: 10_000,
};

/** Sets `config[spec.key]` from a raw value; one generic step so each parser's type meets its key. */
function assign<K extends keyof ServerConfig>(
  config: Partial<ServerConfig>,
  spec: FlagSpec & { key: K },
  raw: string,
  name: string,
): void {
  config[spec.key] = (spec.parse as (value: string, name: string) => ServerConfig[K])(raw, name);
}

/**
 * Reads the server's settings from command-line flags, then environment variables, then defaults,
 * and validates each once. Accepts `--flag value` and `--flag=value`; an empty environment variable
 * counts as unset.
 *
 * @throws ConfigError naming the flag or variable, what was expected and what was found
 * @example
 * parseServerConfig(['--port', '0', '--model=output/checkpoint'], { WORKERS: '2' });
 * // { port: 0, host: '127.0.0.1', model: 'output/checkpoint', workers: 2, maxBatch: 32, maxDelayMs: 2,
 * //   maxUploadMb: 10, maxQueue: 512, decodeTimeoutMs: 2000, backend: 'auto', logLevel: 'info', ... }
 */
export function parseServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const fromFlags = readFlags(argv);
  const given: Partial<ServerConfig> = {};
  for (const spec of FLAG_SPECS) {
    const flagValue = fromFlags.get(spec.flag);
    const envValue = env[spec.env];
    if (flagValue !== undefined) assign(given, spec, flagValue, spec.flag);
    else if (envValue !== undefined && envValue !== '') assign(given, spec, envValue, spec.env);
  }
  const workers = given.workers ?? availableParallelism();
  const maxBatch = given.maxBatch ?? FIXED_DEFAULTS.maxBatch;
  return { ...FIXED_DEFAULTS, ...given, workers, maxBatch, maxQueue: given.maxQueue ?? maxBatch * workers * 8 };
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(FLAG_SPECS.map((spec) => spec.flag));
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) {
      throw new ConfigError(
        `${flag}: expected one of the server's flags (${[...known].join(', ')}, --help), found an unknown argument`,
      );
    }
    const value: string | undefined = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (eq <= 0) i += 1;
    if (value === undefined || (eq <= 0 && value.startsWith('--'))) {
      throw new ConfigError(
        `${flag}: expected a value after the flag, found ${value === undefined ? 'the end of the arguments' : `'${value}'`}`,
      );
    }
    found.set(flag, value);
  }
  return found;
}

/**
 * `lenet-server --help` text: every flag with its environment variable and default. (`lenet serve
 * --help` is built by commander from the same {@link SERVER_FLAGS}.)
 *
 * @example
 * serverUsage().split('\n')[0]; // 'Usage: lenet-server [options]   (or: lenet serve [options])'
 */
export function serverUsage(): string {
  const width = Math.max(...SERVER_FLAGS.map((f) => f.flag.length + 8)) + 2;
  const rows = SERVER_FLAGS.map(
    (f) => `  ${`${f.flag} <value>`.padEnd(width)}${f.help} (env ${f.env}; default ${f.defaultText})`,
  );
  return [
    'Usage: lenet-server [options]   (or: lenet serve [options])',
    '',
    'Serves a LeNet checkpoint over HTTP: POST an image to /predict; docs at /docs.',
    '',
    'Options:',
    ...rows,
    `  ${'--verbose'.padEnd(width)}print stack traces of start-up errors`,
    `  ${'-h, --help'.padEnd(width)}display this help`,
  ].join('\n');
}
