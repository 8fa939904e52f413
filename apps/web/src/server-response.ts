/**
 * Reads the server's answers to `POST /predict`: checks the JSON has the documented shape before the
 * page draws anything from it, and turns error bodies into a {@link ServerError} carrying the
 * server's own message.
 */
import { CLASS_COUNT } from '@lenet/digit';
import { PageError, ServerError } from './errors';
import { argmax, type Prediction } from './prediction';

/**
 * A successful `/predict` body as a {@link Prediction}.
 *
 * @param body - the parsed JSON
 * @param roundTripMs - time from sending the request to reading the body
 * @throws PageError (`BAD_RESPONSE`) naming the field that is missing or wrong
 * @example
 * parsePredictBody({ likely_class: 7, probabilities: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0], confidence: 1,
 *   model: { epoch: 3, weights_hash: '8e1508ff8b20' }, ms: 2.4 }, 11);
 * // { source: 'server', likelyClass: 7, confidence: 1, modelMs: 2.4, totalMs: 11,
 * //   probabilities: [0, ..., 1, 0, 0], model: { epoch: 3, weightsHash: '8e1508ff8b20' } }
 */
export function parsePredictBody(body: unknown, roundTripMs: number): Prediction {
  const data = asRecord(body, 'the response');
  const probabilities = data.probabilities;
  if (!Array.isArray(probabilities) || probabilities.length !== CLASS_COUNT || !probabilities.every(isProbability)) {
    throw badResponse(
      `probabilities: expected ${CLASS_COUNT} numbers between 0 and 1, found ${preview(probabilities)}`,
    );
  }
  const likelyClass = data.likely_class;
  if (!(Number.isInteger(likelyClass) && (likelyClass as number) >= 0 && (likelyClass as number) < CLASS_COUNT)) {
    throw badResponse(`likely_class: expected an integer 0-9, found ${preview(likelyClass)}`);
  }
  const confidence = data.confidence;
  const ms = data.ms;
  const model = data.model === undefined ? {} : asRecord(data.model, 'model');
  const epoch = model.epoch;
  const weightsHash = model.weights_hash;
  return {
    source: 'server',
    likelyClass: likelyClass as number,
    probabilities: probabilities as number[],
    confidence: isProbability(confidence) ? confidence : (probabilities[argmax(probabilities as number[])] as number),
    modelMs: typeof ms === 'number' && ms >= 0 ? ms : Number.NaN,
    totalMs: roundTripMs,
    model: {
      epoch: typeof epoch === 'number' ? epoch : null,
      weightsHash: typeof weightsHash === 'string' ? weightsHash : null,
    },
  };
}

/**
 * The error a failed `/predict` response stands for. The server's `{"error":{"code","message"}}`
 * is kept word for word; anything else (a proxy's HTML page, an empty body) still gets a sentence.
 *
 * @example
 * errorFromResponse(415, 'Unsupported Media Type', '{"error":{"code":"UNSUPPORTED_MEDIA_TYPE","message":"x.png: expected an image"}}');
 * // ServerError { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'x.png: expected an image' }
 * errorFromResponse(502, 'Bad Gateway', '<html>');
 * // ServerError { status: 502, code: 'HTTP_502', message: 'the server answered 502 Bad Gateway without an explanation' }
 */
export function errorFromResponse(status: number, statusText: string, text: string): ServerError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as Record<string, unknown>;
    if (typeof message === 'string' && message !== '') {
      return new ServerError(status, typeof code === 'string' ? code : `HTTP_${status}`, message);
    }
  }
  return new ServerError(
    status,
    `HTTP_${status}`,
    `the server answered ${`${status} ${statusText}`.trim()} without an explanation`,
  );
}

function isProbability(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badResponse(`${what}: expected a JSON object, found ${preview(value)}`);
  }
  return value as Record<string, unknown>;
}

function badResponse(detail: string): PageError {
  return new PageError('BAD_RESPONSE', `the server's answer was not understood: ${detail}`);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
