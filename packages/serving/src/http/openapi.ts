import type { ServerConfig } from '../config';

/** The slice of OpenAPI 3.1 this server describes itself with; `/docs` is drawn from it. */
export interface OpenApiSpec {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

/** One operation; `x-try` tells the docs page how to send it. */
export interface OpenApiOperation {
  summary: string;
  description?: string;
  operationId: string;
  parameters?: Array<{ name: string; in: string; required: boolean; description: string; schema: unknown }>;
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }
  >;
  'x-try'?: 'file' | 'files' | 'get';
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

const ERROR_CODES = [
  'MISSING_FILE',
  'UNEXPECTED_FIELD',
  'MALFORMED_MULTIPART',
  'TOO_MANY_FILES',
  'TOO_MANY_PARTS',
  'FIELD_TOO_LARGE',
  'UPLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'IMAGE_TRUNCATED',
  'IMAGE_DECODE_FAILED',
  'IMAGE_TOO_MANY_PIXELS',
  'IMAGE_NO_DIGIT',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'OVERLOADED',
  'WORKER_CRASHED',
  'WORKER_TIMEOUT',
  'WORKER_START_FAILED',
  'NO_WORKER_READY',
  'SHUTTING_DOWN',
  'INTERNAL_ERROR',
];

/**
 * The server's OpenAPI 3.1 document, with the configured limits written into the descriptions.
 *
 * @example
 * const spec = buildOpenApiSpec(config, '0.1.0');
 * Object.keys(spec.paths); // ['/predict', '/predict/batch', '/', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/model/{file}']
 */
export function buildOpenApiSpec(
  config: Pick<ServerConfig, 'maxUploadMb' | 'maxFiles' | 'maxPixels'>,
  version: string,
): OpenApiSpec {
  const limits = `Limits: ${config.maxUploadMb} MiB per file (413 UPLOAD_TOO_LARGE), ${config.maxPixels.toLocaleString('en-US')} pixels (413 IMAGE_TOO_MANY_PIXELS, read from the header before decoding).`;
  const imageBody = {
    required: true,
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: 'PNG, JPEG, GIF, BMP or TIFF; the bytes decide, not the name or content type',
            },
          },
        },
      },
      'image/*': { schema: { type: 'string', format: 'binary' } },
    },
  };
  const uploadErrors = {
    400: error('MISSING_FILE, UNEXPECTED_FIELD, MALFORMED_MULTIPART, IMAGE_TRUNCATED or IMAGE_DECODE_FAILED'),
    413: error('UPLOAD_TOO_LARGE, TOO_MANY_FILES, TOO_MANY_PARTS or IMAGE_TOO_MANY_PIXELS'),
    415: error('UNSUPPORTED_MEDIA_TYPE: not a PNG, JPEG, GIF, BMP or TIFF by its first bytes'),
    503: { ...error('OVERLOADED (queue full) or WORKER_*: retry after Retry-After seconds'), headers: retryAfter },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'LeNet digit classifier',
      version,
      description:
        'Classifies a handwritten digit in an uploaded image with a LeNet-5 trained on MNIST (TensorFlow.js). Errors are always `{"error": {"code", "message"}}`.',
    },
    paths: {
      '/predict': {
        post: {
          summary: 'Classify one image',
          description: `Send the image as a multipart part named \`file\` (as the tutorial's clients do), or as a raw body with an \`image/*\` content type. ${limits}`,
          operationId: 'predict',
          requestBody: imageBody,
          responses: {
            200: { description: 'The most likely digit and all ten probabilities', content: json(ref('Prediction')) },
            ...uploadErrors,
            422: error('IMAGE_NO_DIGIT: the image holds nothing that looks like a digit'),
          },
          'x-try': 'file',
        },
      },
      '/predict/batch': {
        post: {
          summary: 'Classify several images',
          description: `Several parts named \`file\` (at most ${config.maxFiles}); answers in the same order. A file that cannot be used gets its own \`error\` and \`status\` and does not fail the others. ${limits}`,
          operationId: 'predictBatch',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
                },
              },
            },
          },
          responses: {
            200: { description: 'One result per file, in order', content: json(ref('BatchResponse')) },
            ...uploadErrors,
          },
          'x-try': 'files',
        },
      },
      '/': {
        get: {
          summary: 'Greeting',
          description: 'A browser (Accept: text/html) gets the web page; anything else this JSON pointing to /docs.',
          operationId: 'root',
          responses: {
            200: {
              description: 'Greeting',
              content: { ...json(ref('Greeting')), 'text/html': { schema: { type: 'string' } } },
            },
          },
          'x-try': 'get',
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          description: '200 while the process serves HTTP.',
          operationId: 'healthz',
          responses: { 200: { description: 'Alive', content: json(ref('Health')) } },
          'x-try': 'get',
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness',
          description:
            '200 when the model is loaded and at least one worker is ready; 503 while starting, when no worker is ready, or while shutting down.',
          operationId: 'readyz',
          responses: {
            200: { description: 'Ready', content: json(ref('Ready')) },
            503: { description: 'Not ready', content: json(ref('Ready')) },
          },
          'x-try': 'get',
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          description:
            'Requests by route and status, latency, batch sizes, queue length, inference time, worker tensors, memory.',
          operationId: 'metrics',
          responses: {
            200: {
              description: 'Text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
          'x-try': 'get',
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          operationId: 'openapi',
          responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
          'x-try': 'get',
        },
      },
      '/docs': {
        get: {
          summary: 'Interactive documentation',
          operationId: 'docs',
          responses: {
            200: {
              description: 'HTML page drawn from /openapi.json',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/model/{file}': {
        get: {
          summary: 'The served checkpoint, read-only',
          description:
            "`model.json` and the weight files it names, so a browser can `tf.loadLayersModel('/model/model.json')`. Nothing else is served.",
          operationId: 'modelFile',
          parameters: [
            {
              name: 'file',
              in: 'path',
              required: true,
              description: '`model.json` or a weight file named in it',
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: {
              description: 'The file',
              content: {
                'application/json': { schema: { type: 'object' } },
                'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
              },
            },
            404: error('NOT_FOUND'),
          },
        },
      },
    },
    components: { schemas: SCHEMAS },
  };
}

const probabilities = {
  type: 'array',
  items: { type: 'number', minimum: 0, maximum: 1 },
  minItems: 10,
  maxItems: 10,
  description: 'Softmax probability of each digit 0..9',
};
const filenameFields = {
  filename: { type: 'string', description: 'Name the client gave the file' },
  contenttype: { type: ['string', 'null'], description: 'Content type the client declared (not trusted)' },
};
const classified = {
  ...filenameFields,
  likely_class: { type: 'integer', minimum: 0, maximum: 9 },
  probabilities,
  confidence: { type: 'number', description: 'Probability of likely_class' },
  detected_format: {
    type: 'string',
    enum: ['png', 'jpeg', 'gif', 'bmp', 'tiff'],
    description: 'Format found from the magic bytes',
  },
};

const SCHEMAS: Record<string, unknown> = {
  ModelIdentity: {
    type: 'object',
    properties: {
      epoch: { type: ['integer', 'null'], description: 'Epochs the checkpoint was trained for' },
      weights_hash: { type: 'string' },
    },
  },
  Prediction: {
    type: 'object',
    required: [
      'filename',
      'contenttype',
      'likely_class',
      'probabilities',
      'confidence',
      'detected_format',
      'model',
      'ms',
    ],
    properties: {
      ...classified,
      model: ref('ModelIdentity'),
      ms: { type: 'number', description: 'Time spent on the server, in milliseconds' },
    },
  },
  BatchItem: {
    oneOf: [
      { type: 'object', required: ['filename', 'likely_class', 'probabilities', 'confidence'], properties: classified },
      {
        type: 'object',
        required: ['filename', 'status', 'error'],
        properties: {
          ...filenameFields,
          status: { type: 'integer', description: 'HTTP status this file alone would have had' },
          error: ref('ErrorBody'),
        },
      },
    ],
  },
  BatchResponse: {
    type: 'object',
    required: ['results', 'model', 'ms'],
    properties: {
      results: { type: 'array', items: ref('BatchItem') },
      model: ref('ModelIdentity'),
      ms: { type: 'number' },
    },
  },
  ErrorBody: {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: ERROR_CODES },
      message: { type: 'string', description: 'What was expected and what was found' },
    },
  },
  Error: { type: 'object', required: ['error'], properties: { error: ref('ErrorBody') } },
  Greeting: { type: 'object', properties: { message: { type: 'string' }, docs: { type: 'string' } } },
  Health: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } },
  Ready: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ready', 'starting', 'unavailable', 'shutting down'] },
      workers: { type: 'object', properties: { ready: { type: 'integer' }, configured: { type: 'integer' } } },
      queue: { type: 'object', properties: { length: { type: 'integer' }, capacity: { type: 'integer' } } },
      model: ref('ModelIdentity'),
    },
  },
};
