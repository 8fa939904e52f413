/**
 * Tells the image format from the first bytes. Uploads arrive with arbitrary names and MIME types
 * (a phone's "photo.jpg" is often HEIC), so the name is never trusted.
 */

/** Formats this package decodes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'tiff';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

const SIGNATURES: ReadonlyArray<{ format: ImageFormat; bytes: readonly number[] }> = [
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { format: 'gif', bytes: ascii('GIF87a') },
  { format: 'gif', bytes: ascii('GIF89a') },
  { format: 'bmp', bytes: ascii('BM') },
  { format: 'tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

/**
 * Returns the format whose magic bytes start `bytes`, or `undefined`.
 *
 * @example
 * sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // 'jpeg'
 * sniffImageFormat(new TextEncoder().encode('hello'));         // undefined
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  return SIGNATURES.find((s) => startsWith(bytes, s.bytes))?.format;
}

/**
 * True when `bytes` is too short to hold a whole signature but is the start of one: the file was
 * cut off inside the magic bytes, rather than being some other kind of file.
 *
 * @example
 * isSignaturePrefix(new Uint8Array([0x89, 0x50])); // true (start of a PNG)
 * isSignaturePrefix(new Uint8Array([]));           // false
 */
export function isSignaturePrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length > 0 && SIGNATURES.some((s) => bytes.length < s.bytes.length && bytes.every((b, i) => s.bytes[i] === b))
  );
}

/** Formats people upload that we do not decode, named so the error can say what the file is. */
const KNOWN_OTHERS: ReadonlyArray<{ name: string; test: (bytes: Uint8Array) => boolean }> = [
  { name: 'WebP', test: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
  {
    name: 'HEIC/HEIF',
    test: (b) => ['heic', 'heix', 'hevc', 'mif1', 'msf1'].some((brand) => startsWith(b, ascii(`ftyp${brand}`), 4)),
  },
  { name: 'AVIF', test: (b) => startsWith(b, ascii('ftypavif'), 4) },
  { name: 'PDF', test: (b) => startsWith(b, ascii('%PDF')) },
  { name: 'BigTIFF', test: (b) => startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b]) },
  { name: 'text (SVG, HTML or XML?)', test: (b) => /^\s*</.test(String.fromCharCode(...b.subarray(0, 16))) },
];

/**
 * Describes the first bytes of an unrecognised file for an error message: hex, printable ASCII,
 * and the format's name when it is one we know but do not decode.
 *
 * @example
 * describeLeadingBytes(new TextEncoder().encode('%PDF-1.7'));
 * // '25 50 44 46 2d 31 2e 37 ("%PDF-1.7"), which looks like PDF'
 */
export function describeLeadingBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file (0 bytes)';
  const head = bytes.subarray(0, 16);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  const known = KNOWN_OTHERS.find((k) => k.test(bytes));
  return `${hex}${bytes.length > head.length ? ' ...' : ''} ("${text}")${known ? `, which looks like ${known.name}` : ''}`;
}
