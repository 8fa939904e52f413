/** The one place that turns any error into the sentence shown in the page's alert. */
import { ImageError } from '@lenet/image/browser';
import { PageError, ServerError } from './errors';

/**
 * Words for a person, with the server's own message kept as it was sent.
 *
 * @example
 * describeError(new ServerError(415, 'UNSUPPORTED_MEDIA_TYPE', 'notes.png: expected PNG, JPEG, GIF, BMP or TIFF'));
 * // 'The server could not use this file (415 UNSUPPORTED_MEDIA_TYPE): notes.png: expected PNG, JPEG, GIF, BMP or TIFF'
 */
export function describeError(error: unknown): string {
  if (error instanceof ServerError) {
    return `The server could not use this file (${error.status} ${error.code}): ${error.message}`;
  }
  if (error instanceof ImageError) return `No digit to classify: ${error.message}`;
  if (error instanceof PageError) {
    switch (error.code) {
      case 'NETWORK_FAILED':
        return `The server did not answer: ${error.message}. Is it still running?`;
      case 'MODEL_LOAD_FAILED':
        return `The model could not be loaded in this browser: ${error.message}`;
      default:
        return error.message;
    }
  }
  return `Something went wrong in this page: ${error instanceof Error ? error.message : String(error)}`;
}
