/**
 * The in-browser model, loaded on first use: the TensorFlow.js chunk and the checkpoint are fetched
 * only when the person switches to in-browser mode.
 */
import type { BrowserModel } from './browser-model';
import { PageError } from './errors';

/** Where the server exposes the checkpoint, relative to the page. */
export const MODEL_URL = 'model/model.json';

let loading: Promise<BrowserModel> | null = null;

/**
 * The loaded model; the first call starts loading, later calls share it. A failed load is
 * forgotten, so switching modes again retries.
 *
 * @example
 * const model = await browserModel();
 * model.classify(input); // { probabilities: Float32Array(10), ms: 1.9 }
 */
export function browserModel(): Promise<BrowserModel> {
  if (loading === null) {
    loading = import('./browser-model').then(
      ({ loadBrowserModel }) => loadBrowserModel(MODEL_URL),
      (error: unknown) => {
        throw new PageError('MODEL_LOAD_FAILED', `could not load the TensorFlow.js script (${String(error)})`, {
          cause: error,
        });
      },
    );
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
