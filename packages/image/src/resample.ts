/**
 * Resizing of one-channel images. Each axis is handled on its own: shrinking averages the source
 * pixels under each output pixel by their covered area (a box filter: anti-aliased grey edges as in
 * MNIST, no moiré from skipped pixels), enlarging interpolates bilinearly between pixel centres. At
 * scale 1 both are the identity, so a digit that is already the right size passes through unchanged.
 */

interface Tap {
  from: number;
  weights: number[];
}

function axisTaps(src: number, dst: number): Tap[] {
  const ratio = src / dst;
  const taps: Tap[] = [];
  for (let i = 0; i < dst; i += 1) {
    if (ratio >= 1) {
      const start = i * ratio;
      const end = (i + 1) * ratio;
      const from = Math.floor(start);
      const weights: number[] = [];
      for (let s = from; s < end && s < src; s += 1) {
        weights.push((Math.min(s + 1, end) - Math.max(s, start)) / ratio);
      }
      taps.push({ from, weights });
    } else {
      const centre = Math.min(src - 1, Math.max(0, (i + 0.5) * ratio - 0.5));
      const from = Math.min(Math.floor(centre), src - 1);
      const frac = centre - from;
      taps.push({ from, weights: from + 1 < src ? [1 - frac, frac] : [1] });
    }
  }
  return taps;
}

/**
 * Resizes a `sw` x `sh` one-channel image to `dw` x `dh` (aspect ratio is the caller's business).
 *
 * @example
 * resample(new Uint8Array([0, 255, 255, 0]), 4, 1, 2, 1); // Float32Array [127.5, 127.5]
 * resample(new Uint8Array([0, 100]), 2, 1, 4, 1);          // Float32Array [0, 25, 75, 100]
 */
export function resample(src: ArrayLike<number>, sw: number, sh: number, dw: number, dh: number): Float32Array {
  if (src.length !== sw * sh) {
    throw new RangeError(`resample: expected ${sw}x${sh} = ${sw * sh} values, found ${src.length}`);
  }
  if (!(dw >= 1 && dh >= 1 && Number.isInteger(dw) && Number.isInteger(dh))) {
    throw new RangeError(`resample: expected a positive integer target size, found ${dw}x${dh}`);
  }
  const columns = axisTaps(sw, dw);
  const rows = axisTaps(sh, dh);
  const horizontal = new Float32Array(sh * dw);
  for (let y = 0; y < sh; y += 1) {
    const srcRow = y * sw;
    for (let x = 0; x < dw; x += 1) {
      const { from, weights } = columns[x] as Tap;
      let sum = 0;
      for (let k = 0; k < weights.length; k += 1) sum += (weights[k] as number) * (src[srcRow + from + k] as number);
      horizontal[y * dw + x] = sum;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y += 1) {
    const { from, weights } = rows[y] as Tap;
    for (let x = 0; x < dw; x += 1) {
      let sum = 0;
      for (let k = 0; k < weights.length; k += 1)
        sum += (weights[k] as number) * (horizontal[(from + k) * dw + x] as number);
      out[y * dw + x] = sum;
    }
  }
  return out;
}
