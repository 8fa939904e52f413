/** The `components.schemas` of the OpenAPI document: the JSON bodies the server answers with. */
import { ERROR_TABLE, PUBLIC_ERROR_CODES } from './error-table';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

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
  label: { type: 'string', description: "The class's name, when the checkpoint carries class names" },
  probabilities,
  confidence: { type: 'number', description: 'Probability of likely_class' },
  detected_format: {
    type: 'string',
    enum: ['png', 'jpeg', 'gif', 'bmp', 'tiff'],
    description: 'Format found from the magic bytes',
  },
};

/** Every schema, by name; `ErrorBody.code` is generated from the error table. */
export const SCHEMAS: Record<string, unknown> = {
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
      code: {
        type: 'string',
        enum: PUBLIC_ERROR_CODES,
        description: `Stable, machine-readable reason:\n${PUBLIC_ERROR_CODES.map((code) => `- \`${code}\` (${ERROR_TABLE[code].status}): ${ERROR_TABLE[code].meaning}`).join('\n')}`,
      },
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
