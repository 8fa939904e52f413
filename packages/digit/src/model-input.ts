/**
 * The one step that turns a 28x28 digit into what the LeNet sees. Training, `lenet test`,
 * `lenet inference`, the server and the browser page all call it, so normalisation can never
 * drift between them (the tutorial normalised in training but not at inference).
 *
 * Pure typed-array code with no TensorFlow.js import, so it bundles for the browser as is.
 */

/** Classes the model tells apart: the digits 0-9 (or any ten labels, e.g. Fashion-MNIST's). */
export const CLASS_COUNT = 10;
/** Side of an MNIST digit in pixels. */
export const DIGIT_SIZE = 28;
/** Pixels in one 28x28 digit. */
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;
/** Zero pixels added on each side of the digit: 28 + 2 * 2 = 32, as in the original LeNet-5. */
export const INPUT_PADDING = 2;
/** Side of the model input in pixels. */
export const MODEL_INPUT_SIZE = DIGIT_SIZE + 2 * INPUT_PADDING;
/** Values in one model input (32 x 32 x 1 channel). */
export const MODEL_INPUT_VALUES = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;
/** Mean of MNIST training pixels on a 0..1 scale. */
export const MNIST_MEAN = 0.1307;
/** Standard deviation of MNIST training pixels on a 0..1 scale. */
export const MNIST_STD = 0.3081;

/** What a checkpoint records about its input pipeline, so a loader can check it matches. */
export interface Preprocessing {
  digitSize: number;
  padding: number;
  inputSize: number;
  mean: number;
  std: number;
  scale: string;
}

/** This build's input pipeline. */
export const PREPROCESSING: Readonly<Preprocessing> = Object.freeze({
  digitSize: DIGIT_SIZE,
  padding: INPUT_PADDING,
  inputSize: MODEL_INPUT_SIZE,
  mean: MNIST_MEAN,
  std: MNIST_STD,
  scale: '0..255 bytes divided by 255, white digit on black',
});

const PAD_VALUE = (0 - MNIST_MEAN) / MNIST_STD;
const BYTE_TO_INPUT = new Float32Array(256).map((_, byte) => (byte / 255 - MNIST_MEAN) / MNIST_STD);

/**
 * Converts `count` consecutive 28x28 digits (bytes 0..255, white ink on black, row-major) into
 * padded, normalised 32x32 model inputs.
 *
 * @param digits - `count * 784` bytes, as read from an IDX file or produced by image preprocessing.
 * @param count - number of digits to convert; defaults to all of `digits`.
 * @returns `count * 1024` floats, laid out as `[count, 32, 32, 1]`.
 * @example
 * const input = digitsToModelInput(new Uint8Array(784));
 * input.length; // 1024
 * input[0];     // -0.4242..., the normalised value of a black pixel
 */
export function digitsToModelInput(digits: Uint8Array, count = Math.floor(digits.length / DIGIT_PIXELS)): Float32Array {
  if (digits.length < count * DIGIT_PIXELS) {
    throw new RangeError(
      `digitsToModelInput: expected at least ${count * DIGIT_PIXELS} bytes for ${count} digits, found ${digits.length}`,
    );
  }
  const out = new Float32Array(count * MODEL_INPUT_VALUES).fill(PAD_VALUE);
  for (let n = 0; n < count; n += 1) {
    const src = n * DIGIT_PIXELS;
    const dst = n * MODEL_INPUT_VALUES + INPUT_PADDING * MODEL_INPUT_SIZE + INPUT_PADDING;
    for (let row = 0; row < DIGIT_SIZE; row += 1) {
      const srcRow = src + row * DIGIT_SIZE;
      const dstRow = dst + row * MODEL_INPUT_SIZE;
      for (let col = 0; col < DIGIT_SIZE; col += 1) {
        out[dstRow + col] = BYTE_TO_INPUT[digits[srcRow + col] as number] as number;
      }
    }
  }
  return out;
}

/**
 * Converts one 28x28 digit into one model input. Same as {@link digitsToModelInput} with `count = 1`.
 *
 * @example
 * digitToModelInput(new Uint8Array(784).fill(255))[2 * 32 + 2]; // 2.8215..., a white pixel
 */
export function digitToModelInput(digit: Uint8Array): Float32Array {
  if (digit.length !== DIGIT_PIXELS) {
    throw new RangeError(`digitToModelInput: expected ${DIGIT_PIXELS} bytes (28x28), found ${digit.length}`);
  }
  return digitsToModelInput(digit, 1);
}
