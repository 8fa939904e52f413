/** Constants of the IDX format as MNIST uses it (http://yann.lecun.com/exdb/mnist/). */

/** The IDX data type byte for unsigned bytes, the only type MNIST uses and we accept. */
export const IDX_UNSIGNED_BYTE = 0x08;

/** Side of an MNIST image in pixels. */
export const MNIST_IMAGE_SIZE = 28;

/** Bytes in one MNIST image (28 x 28). */
export const MNIST_IMAGE_PIXELS = MNIST_IMAGE_SIZE * MNIST_IMAGE_SIZE;

/** Number of digit classes; labels are 0..9. */
export const MNIST_CLASS_COUNT = 10;

/** The two kinds of MNIST IDX file. */
export type IdxKind = 'images' | 'labels';

/** Magic number and rank of each kind: images are `[count, 28, 28]`, labels are `[count]`. */
export const IDX_KINDS: Readonly<Record<IdxKind, { readonly magic: number; readonly rank: number }>> = Object.freeze({
  images: Object.freeze({ magic: 0x00000803, rank: 3 }),
  labels: Object.freeze({ magic: 0x00000801, rank: 1 }),
});

const TYPE_NAMES: Readonly<Record<number, string>> = {
  8: 'unsigned byte',
  9: 'signed byte',
  11: 'short',
  12: 'int',
  13: 'float',
  14: 'double',
};

/**
 * Human name of an IDX data type byte, for error messages.
 *
 * @example
 * idxTypeName(0x0d); // '0x0d (float)'
 * idxTypeName(0x42); // '0x42 (unknown type)'
 */
export function idxTypeName(type: number): string {
  const hex = `0x${type.toString(16).padStart(2, '0')}`;
  return `${hex} (${TYPE_NAMES[type] ?? 'unknown type'})`;
}

/**
 * Whether the bytes start with the gzip magic `1f 8b`.
 *
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 * isGzip(new Uint8Array([0, 0, 8, 1]));    // false
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
