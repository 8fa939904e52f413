/**
 * One classification, start to finish: the page's own preprocessing for the "model saw" preview,
 * then the answer from the server or from the in-browser model.
 */
import { ImageError } from '@lenet/image/browser';
import { browserModel } from './browser-predictor';
import type { DrawPad } from './draw-pad';
import { decodeImageFile } from './image-file';
import { argmax, type Prediction } from './prediction';
import { type PagePreprocessed, preprocessPixels } from './preprocess-pixels';
import { predictOnServer } from './server-client';

/** Where answers come from. */
export type Mode = 'server' | 'browser';

/** What the person gave the page most recently. */
export type PageInput = { kind: 'drawing' } | { kind: 'file'; file: File };

/** The 28x28 digit the page found, or why there is none (not an image, a drawing that is a dot so far). */
export type Preview = { digit: Uint8Array } | { error: unknown };

/**
 * Preprocesses `input` in the page, hands the result to `onPreview` at once (the preview shows
 * before the server answers, and also when it refuses), then asks `mode` for the answer. Uploads go
 * to the server as the original bytes, so the server judges the file itself and its error messages
 * reach the person.
 *
 * @returns the answer; `null` when there is nothing to ask about yet (an empty or tiny drawing)
 * @throws ServerError, PageError or ImageError: whatever stopped the answer (the view words it)
 * @example
 * const prediction = await classifyInput({ kind: 'drawing' }, 'browser', pad, (preview) => view.show(preview));
 * prediction?.likelyClass; // 7
 */
export async function classifyInput(
  input: PageInput,
  mode: Mode,
  pad: DrawPad,
  onPreview: (preview: Preview) => void,
): Promise<Prediction | null> {
  let preprocessed: PagePreprocessed | undefined;
  try {
    const pixels = input.kind === 'drawing' ? pad.imageData() : await decodeImageFile(input.file);
    preprocessed = preprocessPixels(pixels, input.kind === 'drawing' ? 'drawing' : input.file.name);
    onPreview({ digit: preprocessed.digit });
  } catch (error) {
    onPreview({ error });
    // An empty canvas or a first dot: nothing to ask about yet, and no error either.
    if (input.kind === 'drawing') return null;
    // In-browser mode has nothing else to go on; the server judges the file for itself.
    if (mode === 'browser') throw error;
  }
  if (mode === 'server') {
    const [image, name] = input.kind === 'drawing' ? [await pad.toPng(), 'drawing.png'] : [input.file, input.file.name];
    return predictOnServer(image, name);
  }
  return predictInBrowser(preprocessed as PagePreprocessed);
}

async function predictInBrowser(preprocessed: PagePreprocessed): Promise<Prediction> {
  const model = await browserModel();
  const { probabilities, ms } = model.classify(preprocessed.input);
  const likelyClass = argmax(probabilities);
  return {
    source: 'browser',
    likelyClass,
    probabilities: Array.from(probabilities),
    confidence: probabilities[likelyClass] as number,
    modelMs: ms,
    totalMs: preprocessed.ms + ms,
    model: model.identity,
  };
}

/**
 * Whether a preview error only means "not a digit yet" rather than a broken file.
 *
 * @example
 * isNoDigit(new NoDigitError('drawing: no digit found')); // true
 */
export function isNoDigit(error: unknown): boolean {
  return error instanceof ImageError && error.code === 'IMAGE_NO_DIGIT';
}
