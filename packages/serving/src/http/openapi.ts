import type { ServerConfig } from '../config';
import { ERROR_TABLE, PUBLIC_ERROR_CODES, type PublicErrorCode } from './error-table';
import { SCHEMAS } from './openapi-schemas';

/** The slice of OpenAPI 3.1 this server describes itself with; `/docs` (Swagger UI) is drawn from it. */
export interface OpenApiSpec {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

/** One operation. */
export interface OpenApiOperation {
  summary: string;
  description?: string;
  operationId: string;
  parameters?: Array<{ name: string; in: string; required: boolean; description: string; schema: unknown }>;
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, OpenApiResponse>;
}

/** One response of an operation. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

/**
 * Error responses for `codes`, one per status, each listing its codes and their meanings from the
 * error table.
 *
 * @example
 * errorResponses(['NOT_FOUND', 'MALFORMED_URL']);
 * // { 404: { description: '`NOT_FOUND`: no such route or model file', ... }, 400: { description: '`MALFORMED_URL`: ...', ... } }
 */
export function errorResponses(codes: readonly PublicErrorCode[]): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  for (const code of codes) {
    const { status, meaning } = ERROR_TABLE[code];
    const line = `\`${code}\`: ${meaning}`;
    const existing = responses[status];
    if (existing !== undefined) existing.description += `\n\n${line}`;
    else {
      responses[status] = { description: line, content: json(ref('Error')) };
      if (status === 503) responses[status].headers = retryAfter;
    }
  }
  return responses;
}

/**
 * Codes left out of the upload routes' responses: 499 never reaches the client, 404 is for paths
 * that are no route, and 500 (a bug) is listed once, in `ErrorBody.code`.
 */
const NOT_FROM_ROUTES = new Set<PublicErrorCode>(['CLIENT_CLOSED_REQUEST', 'NOT_FOUND', 'INTERNAL_ERROR']);
/** What an upload route may answer: every other code in the table. */
const UPLOAD_ERRORS = PUBLIC_ERROR_CODES.filter((code) => !NOT_FROM_ROUTES.has(code));
/** What a batch answers for the whole request; a bad image fails only its own entry. */
const BATCH_ERRORS = UPLOAD_ERRORS.filter((code) => !code.startsWith('IMAGE_'));

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
            ...errorResponses(UPLOAD_ERRORS),
          },
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
            ...errorResponses(BATCH_ERRORS),
          },
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
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          description: '200 while the process serves HTTP.',
          operationId: 'healthz',
          responses: { 200: { description: 'Alive', content: json(ref('Health')) } },
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
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          operationId: 'openapi',
          responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
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
            ...errorResponses(['NOT_FOUND', 'MALFORMED_URL', 'METHOD_NOT_ALLOWED']),
          },
        },
      },
    },
    components: { schemas: SCHEMAS },
  };
}
