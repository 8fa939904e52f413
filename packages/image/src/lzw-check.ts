/**
 * A dry run of LZW data, as TIFF (MSB-first codes, "early change") and GIF (LSB-first) store it:
 * walks the codes without writing pixels, and says where the stream breaks the rules that keep a
 * decoder's string table well formed. utif2 and omggif follow the table's links without checks, so
 * a code past the table's end can leave a loop in the table that they chase forever.
 */

const TABLE_SIZE = 4096;

/** How the codes are stored. */
export interface LzwLayout {
  /** TIFF packs codes from the top bit of each byte down; GIF from the bottom bit up. */
  msbFirst: boolean;
  /** TIFF widens codes one entry early (libtiff's "early change"); GIF when the table fills the width. */
  earlyChange: boolean;
  /** Bits per literal: 8 for TIFF, the frame's LZW minimum code size for GIF. */
  literalBits: number;
  /** TIFF requires a Clear code first; GIF encoders often omit it. */
  clearFirst: boolean;
  /** Stop with a problem once more than this many bytes would be produced. */
  maxOutput: number;
}

/** Reads `width`-bit codes from `data` in the given bit order. */
function codeReader(data: Uint8Array, msbFirst: boolean) {
  let bit = 0;
  return {
    position: () => bit,
    left: () => data.length * 8 - bit,
    read(width: number): number {
      let code = 0;
      for (let i = 0; i < width; i += 1, bit += 1) {
        const byte = data[bit >> 3] as number;
        code = msbFirst ? (code << 1) | ((byte >> (7 - (bit & 7))) & 1) : code | (((byte >> (bit & 7)) & 1) << i);
      }
      return code;
    },
  };
}

/**
 * Returns why the data is not valid LZW, or `undefined` when it is. Linear in the data's length.
 *
 * @example
 * lzwProblem(new Uint8Array([0xc8, 0xc8, 0xc8]), TIFF_LZW(10)); // 'expected a Clear code (256) first, found 401'
 */
export function lzwProblem(data: Uint8Array, layout: LzwLayout): string | undefined {
  const clear = 1 << layout.literalBits;
  const end = clear + 1;
  const lengths = new Uint16Array(TABLE_SIZE);
  const reader = codeReader(data, layout.msbFirst);
  let width = layout.literalBits + 1;
  let next = clear + 2;
  let previous = -1;
  let output = 0;
  for (let first = true; reader.left() >= width; first = false) {
    const at = reader.position();
    const code = reader.read(width);
    if (first && layout.clearFirst && code !== clear) return `expected a Clear code (${clear}) first, found ${code}`;
    if (code === end) return undefined;
    if (code === clear) {
      [width, next, previous] = [layout.literalBits + 1, clear + 2, -1];
      continue;
    }
    const lengthOf = (c: number) => (c < clear ? 1 : (lengths[c] as number));
    let length: number;
    if (code < clear) length = 1;
    else if (previous !== -1 && code < next) length = lengthOf(code);
    else if (previous !== -1 && code === next && next < TABLE_SIZE) length = lengthOf(previous) + 1;
    else return `expected a code below ${previous === -1 ? clear : next + 1} at bit ${at}, found ${code}`;
    if (previous !== -1 && next < TABLE_SIZE) {
      lengths[next] = lengthOf(previous) + 1;
      next += 1;
      if (next + (layout.earlyChange ? 1 : 0) >= 1 << width && width < 12) width += 1;
    }
    output += length;
    if (output > layout.maxOutput) return `expected at most ${layout.maxOutput} decoded bytes, found more`;
    previous = code;
  }
  return undefined;
}

/**
 * The layout of a TIFF LZW strip that decodes to at most `maxOutput` bytes.
 *
 * @example
 * lzwProblem(strip, TIFF_LZW(60 * 60 * 3)); // undefined for a good strip
 */
export function TIFF_LZW(maxOutput: number): LzwLayout {
  return { msbFirst: true, earlyChange: true, literalBits: 8, clearFirst: true, maxOutput };
}
