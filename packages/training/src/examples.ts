import { digitsToModelInput, INPUT_PADDING, MODEL_INPUT_SIZE, MODEL_INPUT_VALUES } from '@lenet/digit';

/** Model inputs and labels held as typed arrays, ready to be cut into batches. */
export interface Examples {
  /** `count * 1024` normalised, padded floats (see digitsToModelInput). */
  inputs: Float32Array;
  labels: Uint8Array;
  count: number;
}

/**
 * Runs the shared 28x28 -> model-input step once over a whole split.
 *
 * @example
 * const train = examplesFromDigits(split.images, split.labels); // train.inputs.length === split.count * 1024
 */
export function examplesFromDigits(images: Uint8Array, labels: Uint8Array): Examples {
  return { inputs: digitsToModelInput(images, labels.length), labels, count: labels.length };
}

/**
 * Copies the examples at `order[start .. start + size)` into one contiguous batch.
 *
 * @example
 * const { inputs, labels } = gatherBatch(train, order, 0, 64); // inputs.length === 64 * 1024
 */
export function gatherBatch(
  examples: Examples,
  order: Uint32Array,
  start: number,
  size: number,
  shift?: () => number,
): { inputs: Float32Array; labels: Int32Array } {
  const inputs = new Float32Array(size * MODEL_INPUT_VALUES);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i += 1) {
    const index = order[start + i] as number;
    const source = examples.inputs.subarray(index * MODEL_INPUT_VALUES, (index + 1) * MODEL_INPUT_VALUES);
    if (shift === undefined) inputs.set(source, i * MODEL_INPUT_VALUES);
    else shiftInto(source, inputs.subarray(i * MODEL_INPUT_VALUES, (i + 1) * MODEL_INPUT_VALUES), shift(), shift());
    labels[i] = examples.labels[index] as number;
  }
  return { inputs, labels };
}

/**
 * Copies a 32x32 input moved by (dx, dy) pixels, |d| <= 2, filling the uncovered border with the
 * padding value. The digit has 2 pixels of padding on each side, so it never leaves the frame.
 * Exported for its tests; not part of the package's index.
 *
 * @example
 * shiftInto(source, target, 1, -2); // target[r * 32 + c] === source[(r + 2) * 32 + c - 1] inside the frame
 */
export function shiftInto(source: Float32Array, target: Float32Array, dx: number, dy: number): void {
  target.fill(source[0] as number);
  const size = MODEL_INPUT_SIZE;
  for (let row = Math.max(0, -dy); row < Math.min(size, size - dy); row += 1) {
    const from = row * size + Math.max(0, -dx);
    const length = size - Math.abs(dx);
    target.set(source.subarray(from, from + length), (row + dy) * size + Math.max(0, dx));
  }
}

/** Largest shift of {@link gatherBatch}'s augmentation: the input padding. */
export const MAX_SHIFT = INPUT_PADDING;
