/**
 * The server's one flag table: each setting's flag, environment variable, default, help line and
 * parser. `parseServerConfig`, `lenet-server --help`, `lenet serve --help` (built by commander in the
 * CLI) and the README table all come from it.
 */
import { BACKEND_REQUESTS, type BackendRequest } from '@lenet/backend';
import { DECODER_REQUESTS, DEFAULT_MAX_PIXELS } from '@lenet/image';
import { ConfigError } from './errors';

/** Backends a worker can be asked for (`@lenet/backend`'s list). */
export const BACKENDS: readonly BackendRequest[] = BACKEND_REQUESTS;
/** winston's npm levels, most to least severe. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
/** `auto` is text lines on a terminal and JSON lines otherwise (containers, log shippers). */
export const LOG_FORMATS = ['auto', 'json', 'text'] as const;
/** Image decoders a worker can be asked for (`@lenet/image`'s list); `auto` is sharp, or jimp when sharp cannot load. */
export const DECODERS = DECODER_REQUESTS;

/** The server's default pixel limit: the one shared with the CLI (`@lenet/image`'s `DEFAULT_MAX_PIXELS`). */
export const SERVER_DEFAULT_MAX_PIXELS: number = DEFAULT_MAX_PIXELS;

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
  /** Longest one image may take to decode and preprocess; past it its worker is replaced (422). */
  decodeTimeoutMs: number;
  /** V8 heap ceiling of each worker thread; past it the worker is replaced (413 for the image). */
  workerMemoryMb: number;
  backend: BackendRequest;
  decoder: (typeof DECODERS)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  /** After SIGTERM, how long in-flight requests get before connections are cut. */
  shutdownTimeoutMs: number;
}

/** One flag: its env variable, default, help line. Also drives `--help` and the README table. */
export interface ServerFlag {
  key: keyof ServerConfig;
  flag: string;
  env: string;
  help: string;
  /** Shown in `--help`; computed defaults are described in words. */
  defaultText: string;
}

type Parser<T> = (value: string, name: string) => T;
type Spec<K extends keyof ServerConfig> = ServerFlag & { key: K; parse: Parser<ServerConfig[K]> };
/** One entry per key, each parser returning that key's type. */
export type FlagSpec = { [K in keyof ServerConfig]: Spec<K> }[keyof ServerConfig];

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (value, name) => {
    const parsed = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
      throw new ConfigError(`${name}: expected ${range}, found '${value}'`);
    }
    return parsed;
  };
}

function positiveNumber(allowZero: boolean): Parser<number> {
  return (value, name) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0)) {
      throw new ConfigError(`${name}: expected a number ${allowZero ? '>= 0' : '> 0'}, found '${value}'`);
    }
    return parsed;
  };
}

function oneOf<T extends string>(choices: readonly T[]): Parser<T> {
  return (value, name) => {
    const found = choices.find((choice) => choice === value);
    if (found === undefined) throw new ConfigError(`${name}: expected one of ${choices.join(', ')}, found '${value}'`);
    return found;
  };
}

const text: Parser<string> = (value, name) => {
  if (value.trim() === '') throw new ConfigError(`${name}: expected a non-empty value, found '${value}'`);
  return value;
};

/** The table, with parsers. Order is the order of `--help`. */
export const FLAG_SPECS: readonly FlagSpec[] = [
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
    defaultText: String(SERVER_DEFAULT_MAX_PIXELS),
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
    key: 'decodeTimeoutMs',
    flag: '--decode-timeout-ms',
    env: 'DECODE_TIMEOUT_MS',
    defaultText: '2000',
    help: 'longest one image may take to decode; past it the worker is replaced (422 IMAGE_DECODE_TIMEOUT)',
    parse: integer(1),
  },
  {
    key: 'workerMemoryMb',
    flag: '--worker-memory-mb',
    env: 'WORKER_MEMORY_MB',
    defaultText: '512',
    help: 'JS heap ceiling per worker; past it the worker is replaced (413 IMAGE_TOO_COMPLEX)',
    parse: integer(64, 65536),
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
    key: 'decoder',
    flag: '--decoder',
    env: 'DECODER',
    defaultText: 'auto',
    help: `image decoder: ${DECODERS.join(', ')} (auto: sharp, or jimp when sharp cannot load)`,
    parse: oneOf(DECODERS),
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
    key: 'logFormat',
    flag: '--log-format',
    env: 'LOG_FORMAT',
    defaultText: 'auto',
    help: `${LOG_FORMATS.join(', ')}; auto is text on a terminal, JSON lines otherwise`,
    parse: oneOf(LOG_FORMATS),
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
export const SERVER_FLAGS: readonly ServerFlag[] = FLAG_SPECS.map(({ parse: _parse, ...flag }) => flag);
