/**
 * 256-bin histograms of grey levels and the statistics the digit finder takes from them.
 */

/** Counts per grey level 0..255. */
export type Histogram = Float64Array;

/**
 * Counts the grey levels of `data`.
 *
 * @example
 * histogram(new Uint8Array([0, 0, 255]))[0]; // 2
 */
export function histogram(data: Uint8Array): Histogram {
  const counts = new Float64Array(256);
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i] as number;
    counts[v] = (counts[v] as number) + 1;
  }
  return counts;
}

/**
 * Otsu's threshold: the level `t` that best splits the pixels into two classes, `<= t` and `> t`,
 * by maximising the between-class variance. No tuning, and it lands between paper and ink whatever
 * the exposure.
 *
 * @returns `undefined` when every pixel has the same level (nothing to split)
 * @example
 * const h = histogram(new Uint8Array([10, 12, 11, 200, 210]));
 * otsuThreshold(h); // 105, the middle of the empty levels 12..199
 */
export function otsuThreshold(hist: Histogram): number | undefined {
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v += 1) {
    total += hist[v] as number;
    sum += v * (hist[v] as number);
  }
  let best: number | undefined;
  let bestEnd = 0;
  let bestVariance = -1;
  let count0 = 0;
  let sum0 = 0;
  for (let t = 0; t < 255; t += 1) {
    count0 += hist[t] as number;
    sum0 += t * (hist[t] as number);
    const count1 = total - count0;
    if (count0 === 0 || count1 === 0) continue;
    const diff = sum0 / count0 - (sum - sum0) / count1;
    const variance = count0 * count1 * diff * diff;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
      bestEnd = t;
    } else if (variance === bestVariance && bestEnd === t - 1) {
      bestEnd = t; // empty levels between the classes: all give the same split
    }
  }
  // Middle of the gap between the classes rather than its lower edge, so that inverting the image
  // moves the threshold to the mirrored level.
  return best === undefined ? undefined : Math.floor((best + bestEnd) / 2);
}

/**
 * The smallest level at or above which lies no more than `1 - p` of the pixels between `from` and
 * `to` (inclusive): `p = 0.5` is the median.
 *
 * @returns `undefined` when no pixel lies in the range
 * @example
 * percentile(histogram(new Uint8Array([1, 2, 3, 4])), 0.5); // 2
 */
export function percentile(hist: Histogram, p: number, from = 0, to = 255): number | undefined {
  let total = 0;
  for (let v = from; v <= to; v += 1) total += hist[v] as number;
  if (total === 0) return undefined;
  const target = p * total;
  let seen = 0;
  for (let v = from; v <= to; v += 1) {
    seen += hist[v] as number;
    if (seen >= target && seen > 0) return v;
  }
  return to;
}

/**
 * The histogram of `255 - v`: what the pixels look like with the polarity flipped.
 *
 * @example
 * reversed(histogram(new Uint8Array([0])))[255]; // 1
 */
export function reversed(hist: Histogram): Histogram {
  return Float64Array.from(hist).reverse();
}
