import { Router, type Request, type Response } from 'express';
import { ImageRejectedError } from '../errors';
import { describeError } from '../http/error-status';
import { isImageFailureCode } from '../http/error-table';
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

/**
 * The upload as a work item. An upload over 4 KiB already owns its ArrayBuffer (multer and
 * raw-body concatenate into a fresh one), so it is handed over as is; a smaller one sits in Node's
 * shared 8 KiB pool and is copied out, so no other request's bytes go with it.
 */
function toWorkItem(upload: Upload): WorkItem {
  const { buffer, byteOffset, byteLength } = upload.bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer)
    return { bytes: buffer, name: upload.name };
  return { bytes: buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer, name: upload.name };
}

/**
 * Writes a 200 JSON answer without `res.json`: no settings lookups, no content-type negotiation,
 * no ETag or freshness checks, which a POST answer never needs.
 */
function sendJson(res: Response, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;

function classification(upload: Upload, result: ItemSuccess, classNames: string[] | null) {
  const probabilities = Array.from(result.probabilities, round);
  let best = 0;
  let confidence = -1;
  probabilities.forEach((p, i) => {
    if (p > confidence) [best, confidence] = [i, p];
  });
  return {
    filename: upload.name,
    contenttype: upload.contentType,
    likely_class: best,
    // Only when the checkpoint names its classes (e.g. Fashion-MNIST): a new field, nothing renamed.
    ...(classNames === null ? {} : { label: classNames[best] ?? null }),
    probabilities,
    confidence,
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
        // receiveUploads leaves at least one upload, and /predict takes exactly one.
        const [upload] = res.locals.uploads as [Upload];
        const [result] = (await Promise.all(batcher.submit([toWorkItem(upload)], clientGone(res)))) as [ItemResult];
        if (!result.ok) {
          const { code, message } = result.error;
          countImage(code);
          // A code outside the table is a bug in the worker: a plain Error makes it a logged 500.
          if (!isImageFailureCode(code)) throw new Error(`worker sent unknown image error code '${code}': ${message}`);
          throw new ImageRejectedError(code, message);
        }
        countImage('ok');
        sendJson(res, { ...classification(upload, result, identity.classNames), model, ms: elapsedMs(started) });
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
        sendJson(res, {
          results: uploads.map((upload, i) => {
            // One result per upload, in order (the batcher's contract).
            const result = results[i] as ItemResult;
            countImage(result.ok ? 'ok' : result.error.code);
            if (result.ok) return classification(upload, result, identity.classNames);
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
