/**
 * Decoder errors in our words. The libraries' messages are written for their authors (jimp's TIFF
 * reader says `window is not defined` for CMYK, bmp-js throws Node's buffer offset errors, utif2
 * throws a bare number); a person needs the format and what is wrong with the file.
 */
import { ImageDecodeError } from './errors';
import type { ImageFormat } from './image-format';

const PROBLEMS: ReadonlyArray<{ test: RegExp; problem: string }> = [
  {
    test: /premature|truncat|unexpected end|end of (file|stream|data|input)|shorter than|out of range|outside|beyond|offset|not enough|too short|EOF/i,
    problem: 'the data ends early or points past the end of the file',
  },
  { test: /crc|checksum|adler/i, problem: 'a checksum does not match: the file is corrupt' },
  {
    test: /window is not defined|unsupported|not supported|not implemented|unknown (compression|colou?r)/i,
    problem: 'it uses a variant of the format that the decoder does not read',
  },
  { test: /pixel limit|too large|memory/i, problem: 'decoding it would take more memory than allowed' },
];
const DEFAULT_PROBLEM = 'the compressed image data is corrupt';

/** The library's own message, kept as `cause` for logs at debug level; never shown to a person. */
function libraryMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' || typeof error === 'number' ? String(error) : '';
}

/**
 * Maps whatever a decoder threw to an {@link ImageDecodeError} whose message names the file, the
 * format and the problem, and keeps the original as `cause`.
 *
 * @example
 * decodeFailure('scan.tif', 'tiff', new ReferenceError('window is not defined')).message;
 * // 'scan.tif: could not decode the TIFF data (it uses a variant of the format that the decoder does not read)'
 * decodeFailure('a.bmp', 'bmp', new RangeError('The value of "offset" is out of range.')).message;
 * // 'a.bmp: could not decode the BMP data (the data ends early or points past the end of the file)'
 */
export function decodeFailure(name: string, format: ImageFormat, error: unknown): ImageDecodeError {
  const message = libraryMessage(error);
  const problem = PROBLEMS.find((p) => p.test.test(message))?.problem ?? DEFAULT_PROBLEM;
  return new ImageDecodeError(`${name}: could not decode the ${format.toUpperCase()} data (${problem})`, {
    cause: error,
  });
}
