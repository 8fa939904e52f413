import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of the image bytes followed by the label bytes. Identifies exactly what a model
 * was trained or tested on, for checkpoint metadata. Image and label lengths are fixed by the
 * count (784 : 1), so the concatenation is unambiguous.
 *
 * @example
 * mnistFingerprint(new Uint8Array(784), new Uint8Array([0]));
 * // '451bd5d887fb164bda1512c2acdc1f39ba22a0dc1735e9075d74cc7d3addc203'
 */
export function mnistFingerprint(images: Uint8Array, labels: Uint8Array): string {
  return createHash('sha256').update(images).update(labels).digest('hex');
}
