/** Asks the server: one image file up to `POST predict`, one {@link Prediction} back. */
import { PageError } from './errors';
import type { Prediction } from './prediction';
import { errorFromResponse, parsePredictBody } from './server-response';

/** The route, relative to the page so the app also works behind a path prefix. */
export const PREDICT_URL = 'predict';

/**
 * Uploads `image` as the multipart field `file`, the way `curl -F file=@digit.png` does.
 *
 * @throws ServerError with the server's code and message when it answers 4xx/5xx;
 *   PageError (`NETWORK_FAILED`, `BAD_RESPONSE`) when it cannot be reached or answers nonsense
 * @example
 * const prediction = await predictOnServer(pngBlob, 'drawing.png');
 * prediction.likelyClass; // 7
 * prediction.totalMs;     // 14.2, the round trip
 */
export async function predictOnServer(image: Blob, filename: string): Promise<Prediction> {
  const form = new FormData();
  form.append('file', image, filename);
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(PREDICT_URL, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
    text = await response.text();
  } catch (error) {
    throw new PageError(
      'NETWORK_FAILED',
      `could not reach the server (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const roundTripMs = performance.now() - started;
  if (!response.ok) throw errorFromResponse(response.status, response.statusText, text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new PageError(
      'BAD_RESPONSE',
      `the server's answer was not understood: expected JSON, found ${JSON.stringify(text.slice(0, 40))}`,
      { cause: error },
    );
  }
  return parsePredictBody(body, roundTripMs);
}
