import { type DecoderRequest, type ImageDecoder, selectDecoder } from '@lenet/image';

/**
 * Picks the image decoder for a command and prints which one is in use, right after the backend line
 * (to stderr when stdout carries JSON), so the pure-JS fallback is never taken silently.
 *
 * @example
 * const decoder = setUpDecoder('auto', print); // prints "image decoder: sharp 0.35.5 (libvips 8.18.7)"
 */
export function setUpDecoder(requested: DecoderRequest, print: (line: string) => void): ImageDecoder {
  const { decoder, description } = selectDecoder(requested);
  print(description);
  return decoder;
}
