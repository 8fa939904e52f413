import { Router, type Request, type Response } from 'express';
import { ImageRejectedError } from '../errors';
import { describeError } from '../http/error-status';
import { receiveUploads, type Upload } from '../http/receive-uploads';
import { methodNotAllowed } from '../http/method-not-allowed';
import type { Batcher } from '../worker/batcher';
import type { ItemResult, ItemSuccess, WorkItem } from '../worker/protocol';
import type { ModelIdentity } from '../worker/worker-pool';

/** What the predict routes need. */
export interface PredictRoutesOptions {
  batcher: Batcher;
  identity: ModelIdentity;
  maxUploadBytes: number;
  maxFiles: number;
  /** Counts each image's outcome ('ok' or an error code). */
  countImage: (outcome: string) => void;
}

/** The bytes in a buffer of their own, safe to transfer to a worker (a small Buffer can share Node's pool). */
function toWorkItem(upload: Upload): WorkItem {
  const bytes = new ArrayBuffer(upload.bytes.length);
  new Uint8Array(bytes).set(upload.bytes);
  return { bytes, name: upload.name };
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;

function classification(upload: Upload, result: ItemSuccess) {
  const probabilities = Array.from(result.probabilities, round);
  let best = 0;
  for (let i = 1; i < probabilities.length; i += 1) if (probabilities[i]! > probabilities[best]!) best = i;
  return {
    filename: upload.name,
    contenttype: upload.contentType,
    likely_class: best,
    probabilities,
    confidence: probabilities[best]!,
    detected_format: result.format,
  };
}

/** Aborts when the client goes away before its answer is written, so its queued images are dropped. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

const modelField = (identity: ModelIdentity) => ({ epoch: identity.epoch, weights_hash: identity.weightsHash });
const elapsedMs = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/**
 * `POST /predict` (one image) and `POST /predict/batch` (several `file` parts, answered in order).
 *
 * @example
 * app.use(predictRoutes({ batcher, identity, maxUploadBytes: 10 << 20, maxFiles: 16, countImage }));
 * // POST /predict -> { filename: 'digit.png', contenttype: 'image/png', likely_class: 7, probabilities: [...],
 * //                    confidence: 0.998, detected_format: 'png', model: { epoch: 30, weights_hash: '...' }, ms: 3.1 }
 */
export function predictRoutes(options: PredictRoutesOptions): Router {
  const { batcher, identity, countImage } = options;
  const model = modelField(identity);
  const router = Router();

  router
    .route('/predict')
    .post(
      receiveUploads({ maxFiles: 1, maxFileBytes: options.maxUploadBytes }),
      async (_req: Request, res: Response) => {
        const started = performance.now();
        const upload = (res.locals.uploads as Upload[])[0]!;
        const [pending] = batcher.submit([toWorkItem(upload)], clientGone(res));
        const result: ItemResult = await pending!;
        if (!result.ok) {
          countImage(result.error.code);
          throw new ImageRejectedError(result.error.code, result.error.message);
        }
        countImage('ok');
        res.json({ ...classification(upload, result), model, ms: elapsedMs(started) });
      },
    )
    .all(methodNotAllowed('POST'));

  router
    .route('/predict/batch')
    .post(
      receiveUploads({ maxFiles: options.maxFiles, maxFileBytes: options.maxUploadBytes }),
      async (_req: Request, res: Response) => {
        const started = performance.now();
        const uploads = res.locals.uploads as Upload[];
        // A worker failure (503) fails the request; a bad image fails only its own entry.
        const results = await Promise.all(batcher.submit(uploads.map(toWorkItem), clientGone(res)));
        res.json({
          results: results.map((result, i) => {
            const upload = uploads[i]!;
            countImage(result.ok ? 'ok' : result.error.code);
            if (result.ok) return classification(upload, result);
            const { status, code, message } = describeError(result.error);
            return { filename: upload.name, contenttype: upload.contentType, status, error: { code, message } };
          }),
          model,
          ms: elapsedMs(started),
        });
      },
    )
    .all(methodNotAllowed('POST'));

  return router;
}
