import {
  cellBatchId,
  createProgressCell,
  decodingFor,
  isReleased,
  markDecoding,
  markReleased,
  readDecoding,
} from './decode-budget';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the progress cell', () => {
  test('when a worker marks an image, then the pool reads which one and for how long; when it marks -1, then nothing', async () => {
    const cell = createProgressCell();
    expect(readDecoding(cell)).toBeNull();
    expect(decodingFor(cell)).toBe(0);
    markDecoding(cell, 7, 2);
    await sleep(60);
    expect(readDecoding(cell)).toEqual({ batchId: 7, index: 2 });
    expect(decodingFor(cell)).toBeGreaterThanOrEqual(50);
    markDecoding(cell, 7, 3);
    expect(decodingFor(cell)).toBeLessThan(50);
    markDecoding(cell, 7, -1);
    expect(readDecoding(cell)).toBeNull();
    expect(decodingFor(cell)).toBe(0);
  });

  test('when batch ids pass 2^31, then the cell keeps their low 31 bits and still tells them apart', () => {
    const cell = createProgressCell();
    markDecoding(cell, 2 ** 31 + 5, 0);
    expect(readDecoding(cell)?.batchId).toBe(cellBatchId(2 ** 31 + 5));
    expect(cellBatchId(2 ** 31 + 5)).toBe(5);
  });

  test('when the pool takes batches back, then the worker sees the last eight as released and no others', () => {
    const cell = createProgressCell();
    expect(isReleased(cell, 1)).toBe(false);
    for (let id = 1; id <= 10; id += 1) markReleased(cell, id);
    expect([1, 2, 3, 10, 11].map((id) => isReleased(cell, id))).toEqual([false, false, true, true, false]);
  });
});
