import { MODEL_INPUT_SIZE, MODEL_INPUT_VALUES } from '@lenet/digit';
import { gatherBatch, MAX_SHIFT, shiftInto, type Examples } from './examples';

/** A 32x32 input whose value at (row, col) is 1000 + row * 32 + col, with -1 as the padding (corner) value. */
function numbered(): Float32Array {
  const source = Float32Array.from({ length: MODEL_INPUT_VALUES }, (_, i) => 1000 + i);
  source[0] = -1;
  return source;
}
const at = (image: Float32Array, row: number, col: number) => image[row * MODEL_INPUT_SIZE + col];

describe('shiftInto', () => {
  test('when the shift is (0, 0), then the target is a copy', () => {
    const source = numbered();
    const target = new Float32Array(MODEL_INPUT_VALUES);
    shiftInto(source, target, 0, 0);
    expect(target).toEqual(source);
  });

  test('when shifting by dx=1, dy=-2, then every pixel moves one right and two up, the border gets the padding', () => {
    const source = numbered();
    const target = new Float32Array(MODEL_INPUT_VALUES);
    shiftInto(source, target, 1, -2);
    for (let row = 0; row < MODEL_INPUT_SIZE; row += 1) {
      for (let col = 0; col < MODEL_INPUT_SIZE; col += 1) {
        const fromRow = row + 2;
        const fromCol = col - 1;
        const inside = fromRow < MODEL_INPUT_SIZE && fromCol >= 0;
        expect([row, col, at(target, row, col)]).toEqual([row, col, inside ? at(source, fromRow, fromCol) : -1]);
      }
    }
  });

  test('when shifting by the largest shift the other way, then the bottom-right pixel lands 2 up-left of it', () => {
    const source = numbered();
    const target = new Float32Array(MODEL_INPUT_VALUES);
    shiftInto(source, target, -MAX_SHIFT, -MAX_SHIFT);
    const last = MODEL_INPUT_SIZE - 1;
    expect(at(target, last - MAX_SHIFT, last - MAX_SHIFT)).toBe(at(source, last, last));
    expect(at(target, last, last)).toBe(-1);
    expect(at(target, 0, 0)).toBe(at(source, MAX_SHIFT, MAX_SHIFT));
  });
});

describe('gatherBatch', () => {
  const examples: Examples = {
    inputs: Float32Array.from({ length: 3 * MODEL_INPUT_VALUES }, (_, i) => Math.floor(i / MODEL_INPUT_VALUES)),
    labels: Uint8Array.of(7, 8, 9),
    count: 3,
  };

  test('when gathering by an order, then inputs and labels follow it', () => {
    const { inputs, labels } = gatherBatch(examples, Uint32Array.of(2, 0, 1), 1, 2);
    expect(Array.from(labels)).toEqual([7, 8]);
    expect(inputs[0]).toBe(0);
    expect(inputs[MODEL_INPUT_VALUES]).toBe(1);
    expect(inputs).toHaveLength(2 * MODEL_INPUT_VALUES);
  });
});
