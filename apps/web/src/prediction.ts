/** What the page shows for one answer, whichever side computed it. */

/** Where the answer was computed. */
export type PredictionSource = 'server' | 'browser';

/** Which checkpoint answered: the same fields the server returns under `model`. */
export interface ModelIdentity {
  epoch: number | null;
  /** First 12 hex digits of the weight file's content hash. */
  weightsHash: string | null;
}

/** One answer with its timings. */
export interface Prediction {
  source: PredictionSource;
  likelyClass: number;
  /** Ten probabilities, index = digit. */
  probabilities: readonly number[];
  confidence: number;
  /** Time the model side took: the server's own `ms`, or the in-browser forward pass. */
  modelMs: number;
  /** Time the person waited: the HTTP round trip, or in-browser preprocessing plus forward pass. */
  totalMs: number;
  model: ModelIdentity;
}

/**
 * Index of the largest probability; the first one wins a tie, as `argmax` does.
 *
 * @example
 * argmax([0.1, 0.7, 0.2]); // 1
 */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) {
    if ((values[i] as number) > (values[best] as number)) best = i;
  }
  return best;
}
