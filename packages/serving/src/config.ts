import { availableParallelism } from 'node:os';
import { ConfigError } from './errors';

/** Backends a worker can be asked for (as `@lenet/backend`'s `BackendRequest`). */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
/** winston's npm levels, most to least severe. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

/** Everything the server runs with, validated once at start. */
export interface ServerConfig {
  port: number;
  host: string;
  /** Checkpoint folder or its model.json. */
  model: string;
  /** Worker threads, each with its own backend and copy of the model. */
  workers: number;
  /** Most images in one model call. */
  maxBatch: number;
  /** Longest an image waits for others to join its batch while every worker is busy. */
  maxDelayMs: number;
  /** Largest upload, per file and per raw body, in MiB. */
  maxUploadMb: number;
  /** Largest width x height, checked from the image header before decoding. */
  maxPixels: number;
  /** Most `file` parts in one `/predict/batch` request. */
  maxFiles: number;
  /** Most images waiting for a worker; past it requests get 503 OVERLOADED. */
  maxQueue: number;
  backend: (typeof BACKENDS)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  /** After SIGTERM, how long in-flight requests get before connections are cut. */
  shutdownTimeoutMs: number;
}

type Key = keyof ServerConfig;

/** One flag: its env variable, default, help line and parser. Also drives `--help` and the README table. */
export interface ServerFlag {
  key: Key;
  flag: string;
  env: string;
  help: string;
  /** Shown in `--help`; computed defaults are described in words. */
  defaultText: string;
}

type Parser = (value: string, name: string) => ServerConfig[Key];

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser {
  return (value, name) => {
    const parsed = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
      throw new ConfigError(`${name}: expected ${range}, found '${value}'`);
    }
    return parsed;
  };
}

function positiveNumber(allowZero: boolean): Parser {
  return (value, name) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0)) {
      throw new ConfigError(`${name}: expected a number ${allowZero ? '>= 0' : '> 0'}, found '${value}'`);
    }
    return parsed;
  };
}

function oneOf(choices: readonly string[]): Parser {
  return (value, name) => {
    if (!choices.includes(value))
      throw new ConfigError(`${name}: expected one of ${choices.join(', ')}, found '${value}'`);
    return value as ServerConfig[Key];
  };
}

const text: Parser = (value, name) => {
  if (value.trim() === '') throw new ConfigError(`${name}: expected a non-empty value, found ''`);
  return value;
};

const FLAG_TABLE: ReadonlyArray<ServerFlag & { parse: Parser }> = [
  {
    key: 'port',
    flag: '--port',
    env: 'PORT',
    defaultText: '8000',
    help: 'TCP port; 0 picks a free one',
    parse: integer(0, 65535),
  },
  {
    key: 'host',
    flag: '--host',
    env: 'HOST',
    defaultText: '127.0.0.1',
    help: 'address to listen on (0.0.0.0 for every interface)',
    parse: text,
  },
  {
    key: 'model',
    flag: '--model',
    env: 'MODEL',
    defaultText: 'output/checkpoint',
    help: 'checkpoint folder or its model.json',
    parse: text,
  },
  {
    key: 'workers',
    flag: '--workers',
    env: 'WORKERS',
    defaultText: 'one per core',
    help: 'worker threads that decode and classify',
    parse: integer(1, 256),
  },
  {
    key: 'maxBatch',
    flag: '--max-batch',
    env: 'MAX_BATCH',
    defaultText: '32',
    help: 'most images in one model call',
    parse: integer(1, 1024),
  },
  {
    key: 'maxDelayMs',
    flag: '--max-delay-ms',
    env: 'MAX_DELAY_MS',
    defaultText: '2',
    help: 'longest an image waits for a batch to fill while workers are busy',
    parse: positiveNumber(true),
  },
  {
    key: 'maxUploadMb',
    flag: '--max-upload-mb',
    env: 'MAX_UPLOAD_MB',
    defaultText: '10',
    help: 'largest upload per file or raw body, MiB (413 UPLOAD_TOO_LARGE)',
    parse: positiveNumber(false),
  },
  {
    key: 'maxPixels',
    flag: '--max-pixels',
    env: 'MAX_PIXELS',
    defaultText: '24000000',
    help: 'largest width x height, read from the header (413 IMAGE_TOO_MANY_PIXELS)',
    parse: integer(1),
  },
  {
    key: 'maxFiles',
    flag: '--max-files',
    env: 'MAX_FILES',
    defaultText: '16',
    help: "most 'file' parts in one /predict/batch request (413 TOO_MANY_FILES)",
    parse: integer(1, 1000),
  },
  {
    key: 'maxQueue',
    flag: '--max-queue',
    env: 'MAX_QUEUE',
    defaultText: 'max-batch x workers x 8',
    help: 'most images waiting for a worker (503 OVERLOADED past it)',
    parse: integer(1),
  },
  {
    key: 'backend',
    flag: '--backend',
    env: 'BACKEND',
    defaultText: 'auto',
    help: `TensorFlow.js backend: ${BACKENDS.join(', ')}`,
    parse: oneOf(BACKENDS),
  },
  {
    key: 'logLevel',
    flag: '--log-level',
    env: 'LOG_LEVEL',
    defaultText: 'info',
    help: `${LOG_LEVELS.slice(0, 4).join(', ')}, ...; info logs one line per request`,
    parse: oneOf(LOG_LEVELS),
  },
  {
    key: 'shutdownTimeoutMs',
    flag: '--shutdown-timeout-ms',
    env: 'SHUTDOWN_TIMEOUT_MS',
    defaultText: '10000',
    help: 'after SIGTERM, time given to requests in flight',
    parse: integer(0),
  },
];

/** The server's flags, their environment variables and defaults. */
export const SERVER_FLAGS: readonly ServerFlag[] = FLAG_TABLE.map(({ parse: _parse, ...flag }) => flag);

/**
 * Reads the server's settings from command-line flags, then environment variables, then defaults,
 * and validates each once. Accepts `--flag value` and `--flag=value`.
 *
 * @throws ConfigError naming the flag or variable, what was expected and what was found
 * @example
 * parseServerConfig(['--port', '0', '--model=output/checkpoint'], { WORKERS: '2' });
 * // { port: 0, host: '127.0.0.1', model: 'output/checkpoint', workers: 2, maxBatch: 32, maxDelayMs: 2,
 * //   maxUploadMb: 10, maxPixels: 24000000, maxFiles: 16, maxQueue: 512, backend: 'auto', logLevel: 'info', ... }
 */
export function parseServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  const fromFlags = readFlags(argv);
  const values: Partial<Record<Key, ServerConfig[Key]>> = {};
  for (const entry of FLAG_TABLE) {
    const flagValue = fromFlags.get(entry.flag);
    const envValue = env[entry.env];
    if (flagValue !== undefined) values[entry.key] = entry.parse(flagValue, entry.flag);
    else if (envValue !== undefined && envValue !== '') values[entry.key] = entry.parse(envValue, entry.env);
  }
  const workers = (values.workers as number | undefined) ?? availableParallelism();
  const maxBatch = (values.maxBatch as number | undefined) ?? 32;
  return {
    port: 8000,
    host: '127.0.0.1',
    model: 'output/checkpoint',
    maxDelayMs: 2,
    maxUploadMb: 10,
    maxPixels: 24_000_000,
    maxFiles: 16,
    backend: 'auto',
    logLevel: 'info',
    shutdownTimeoutMs: 10_000,
    ...values,
    workers,
    maxBatch,
    maxQueue: (values.maxQueue as number | undefined) ?? maxBatch * workers * 8,
  } as ServerConfig;
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(FLAG_TABLE.map((entry) => entry.flag));
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
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
 * `--help` text: every flag with its environment variable and default.
 *
 * @example
 * serverUsage().split('\n')[0]; // 'Usage: lenet serve [flags]   (or: lenet-server [flags])'
 */
export function serverUsage(): string {
  const rows = SERVER_FLAGS.map(
    (f) => `  ${`${f.flag} <value>`.padEnd(28)}${f.help} (env ${f.env}; default ${f.defaultText})`,
  );
  return [
    'Usage: lenet serve [flags]   (or: lenet-server [flags])',
    '',
    'Serves a LeNet checkpoint over HTTP: POST an image to /predict; docs at /docs.',
    '',
    'Flags:',
    ...rows,
    '  --help                      show this text',
  ].join('\n');
}
