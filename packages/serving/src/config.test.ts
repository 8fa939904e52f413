import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_PIXELS } from '@lenet/image';
import { parseServerConfig, SERVER_FLAGS, serverUsage } from './config';
import { ConfigError } from './errors';

const parse = (argv: string[], env: Record<string, string | undefined> = {}) => parseServerConfig(argv, env);

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, found none');
}

describe('parseServerConfig', () => {
  test('when nothing is given, then every setting has its documented default', () => {
    const workers = availableParallelism();
    expect(parse([])).toEqual({
      port: 8000,
      host: '127.0.0.1',
      model: 'output/checkpoint',
      workers,
      maxBatch: 32,
      maxDelayMs: 2,
      maxUploadMb: 10,
      maxPixels: DEFAULT_MAX_PIXELS,
      maxFiles: 16,
      maxQueue: 32 * workers * 8,
      decodeTimeoutMs: 2000,
      workerMemoryMb: 512,
      backend: 'auto',
      decoder: 'auto',
      logLevel: 'info',
      logFormat: 'auto',
      shutdownTimeoutMs: 10_000,
    });
  });

  test('when every flag is given, as --flag value or --flag=value, then each is parsed to its type', () => {
    const config = parse([
      '--port=0',
      '--host',
      '0.0.0.0',
      '--model',
      'm/model.json',
      '--workers',
      '3',
      '--max-batch=4',
      '--max-delay-ms',
      '0.5',
      '--max-upload-mb',
      '1.5',
      '--max-pixels',
      '1000',
      '--max-files',
      '2',
      '--max-queue',
      '7',
      '--decode-timeout-ms',
      '300',
      '--worker-memory-mb',
      '128',
      '--backend',
      'wasm',
      '--decoder',
      'jimp',
      '--log-level',
      'warn',
      '--log-format',
      'json',
      '--shutdown-timeout-ms',
      '0',
    ]);
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      model: 'm/model.json',
      workers: 3,
      maxBatch: 4,
      maxDelayMs: 0.5,
      maxUploadMb: 1.5,
      maxPixels: 1000,
      maxFiles: 2,
      maxQueue: 7,
      decodeTimeoutMs: 300,
      workerMemoryMb: 128,
      backend: 'wasm',
      decoder: 'jimp',
      logLevel: 'warn',
      logFormat: 'json',
      shutdownTimeoutMs: 0,
    });
  });

  test('when only environment variables are given, then each flag reads its variable', () => {
    const env = Object.fromEntries(SERVER_FLAGS.map((f) => [f.env, f.key === 'model' ? 'from-env' : '']));
    Object.assign(env, { PORT: '9001', DECODE_TIMEOUT_MS: '1500', LOG_FORMAT: 'text', DECODER: 'sharp' });
    const config = parse([], env);
    expect(config).toMatchObject({
      port: 9001,
      model: 'from-env',
      decodeTimeoutMs: 1500,
      logFormat: 'text',
      decoder: 'sharp',
    });
  });

  test('when a flag and its variable are both given, then the flag wins; an empty variable counts as unset', () => {
    expect(parse(['--port', '1234'], { PORT: '4321' }).port).toBe(1234);
    expect(parse([], { PORT: '' }).port).toBe(8000);
    expect(parse([], { PORT: '4321' }).port).toBe(4321);
  });

  test('when --max-queue is not given, then it is max-batch x workers x 8 from whatever set those', () => {
    expect(parse(['--workers', '2'], { MAX_BATCH: '4' }).maxQueue).toBe(64);
    expect(parse(['--workers', '2', '--max-queue', '5']).maxQueue).toBe(5);
  });

  test.each([
    [['--port', 'http'], {}, "--port: expected an integer from 0 to 65535, found 'http'"],
    [[], { PORT: '99999' }, "PORT: expected an integer from 0 to 65535, found '99999'"],
    [['--workers', '0'], {}, "--workers: expected an integer from 1 to 256, found '0'"],
    [['--max-batch', '1.5'], {}, "--max-batch: expected an integer from 1 to 1024, found '1.5'"],
    [['--max-pixels', '-3'], {}, "--max-pixels: expected an integer >= 1, found '-3'"],
    [[], { MAX_QUEUE: '0' }, "MAX_QUEUE: expected an integer >= 1, found '0'"],
    [['--decode-timeout-ms', '2s'], {}, "--decode-timeout-ms: expected an integer >= 1, found '2s'"],
    [['--worker-memory-mb', '32'], {}, "--worker-memory-mb: expected an integer from 64 to 65536, found '32'"],
    [['--shutdown-timeout-ms', ' '], {}, "--shutdown-timeout-ms: expected an integer >= 0, found ' '"],
    [['--max-delay-ms', '-1'], {}, "--max-delay-ms: expected a number >= 0, found '-1'"],
    [['--max-upload-mb', '0'], {}, "--max-upload-mb: expected a number > 0, found '0'"],
    [[], { MAX_UPLOAD_MB: 'Infinity' }, "MAX_UPLOAD_MB: expected a number > 0, found 'Infinity'"],
    [['--backend', 'gpu'], {}, "--backend: expected one of auto, tensorflow, wasm, cpu, found 'gpu'"],
    [[], { DECODER: 'libpng' }, "DECODER: expected one of auto, sharp, jimp, found 'libpng'"],
    [
      ['--log-level', 'loud'],
      {},
      "--log-level: expected one of error, warn, info, http, verbose, debug, silly, found 'loud'",
    ],
    [['--log-format', 'xml'], {}, "--log-format: expected one of auto, json, text, found 'xml'"],
    [['--model', ' '], {}, "--model: expected a non-empty value, found ' '"],
    [['--host='], {}, "--host: expected a non-empty value, found ''"],
    [['--port'], {}, '--port: expected a value after the flag, found the end of the arguments'],
    [['--port', '--host', 'x'], {}, "--port: expected a value after the flag, found '--host'"],
  ])('when given %j with env %j, then ConfigError says: %s', (argv, env, message) => {
    const error = errorOf(() => parse(argv, env));
    expect(error.message).toBe(message);
    expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG_INVALID' });
  });

  test('when an unknown flag is given, then the error names it and lists the known ones', () => {
    const error = errorOf(() => parse(['--modle', 'x']));
    expect(error.message).toMatch(/^--modle: expected one of the server's flags \(--port, --host, --model, .*--help\)/);
    expect(error.message).toMatch(/found an unknown argument$/);
  });
});

describe('SERVER_FLAGS and serverUsage', () => {
  test('when the table is read, then every config key has exactly one flag and one variable', () => {
    const keys = Object.keys(parse([])).sort();
    expect(SERVER_FLAGS.map((f) => f.key).sort()).toEqual(keys);
    expect(new Set(SERVER_FLAGS.map((f) => f.env)).size).toBe(keys.length);
  });

  test('when usage is printed, then each flag is on its own line with its variable and default', () => {
    const usage = serverUsage();
    for (const f of SERVER_FLAGS) {
      const line = usage.split('\n').find((l) => l.trimStart().startsWith(`${f.flag} `));
      expect(line).toContain(`(env ${f.env}; default ${f.defaultText})`);
    }
    expect(usage).toContain('--decode-timeout-ms <value>');
  });
});
