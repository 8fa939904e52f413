import { lzwProblem, TIFF_LZW } from './lzw-check';

/** Packs codes MSB-first at the given widths, as TIFF LZW stores them. */
function pack(codes: Array<[code: number, width: number]>): Uint8Array {
  const bits = codes.flatMap(([code, width]) => Array.from({ length: width }, (_, i) => (code >> (width - 1 - i)) & 1));
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    out[i >> 3] = (out[i >> 3] as number) | (b << (7 - (i & 7)));
  });
  return out;
}

describe('lzwProblem', () => {
  test('when a strip is Clear, literals, a table code and End, then it is valid', () => {
    // "AAA": Clear, 'A', 258 (= "AA", the code being defined), End.
    const strip = pack([
      [256, 9],
      [65, 9],
      [258, 9],
      [257, 9],
    ]);
    expect(lzwProblem(strip, TIFF_LZW(3))).toBeUndefined();
  });

  test('when a strip does not start with Clear, then it is not LZW (raw pixels under a Compression lie)', () => {
    expect(lzwProblem(new Uint8Array([0xc8, 0xc8, 0xc8, 0xc8]), TIFF_LZW(100))).toBe(
      'expected a Clear code (256) first, found 401',
    );
  });

  test('when a code points past the end of the string table, then it is refused with its position', () => {
    const strip = pack([
      [256, 9],
      [65, 9],
      [300, 9],
    ]);
    expect(lzwProblem(strip, TIFF_LZW(100))).toBe('expected a code below 259 at bit 18, found 300');
  });

  test('when the strip decodes to more than declared, then it is refused', () => {
    const strip = pack([
      [256, 9],
      [65, 9],
      [258, 9],
      [259, 9],
      [260, 9],
    ]);
    expect(lzwProblem(strip, TIFF_LZW(5))).toBe('expected at most 5 decoded bytes, found more');
  });

  test('when GIF codes (LSB-first, 2-bit literals, no Clear first) are valid, then they pass; a code past the table does not', () => {
    const gif = { msbFirst: false, earlyChange: false, literalBits: 2, clearFirst: false, maxOutput: 100 };
    // Literals 1, 1, then 6 (= "11", defined by the previous pair), End (5).
    const packLsb = (codes: Array<[number, number]>) => {
      const bits = codes.flatMap(([code, width]) => Array.from({ length: width }, (_, i) => (code >> i) & 1));
      return Uint8Array.from({ length: Math.ceil(bits.length / 8) }, (_, i) =>
        bits.slice(i * 8, i * 8 + 8).reduce((byte, b, j) => byte | (b << j), 0),
      );
    };
    // After entry 7 the table fills 3 bits, so End is read with 4.
    expect(
      lzwProblem(
        packLsb([
          [1, 3],
          [1, 3],
          [6, 3],
          [5, 4],
        ]),
        gif,
      ),
    ).toBeUndefined();
    expect(
      lzwProblem(
        packLsb([
          [1, 3],
          [7, 3],
        ]),
        gif,
      ),
    ).toBe('expected a code below 7 at bit 3, found 7');
  });
});
