import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer, { MulterError } from 'multer';
import { RequestError } from '../errors';

/** The multipart field that carries the image, as in the tutorial, so its clients keep working. */
export const FILE_FIELD = 'file';

/** One uploaded file, held in memory. */
export interface Upload {
  /** Name the client gave, or 'image' for a raw body without one. */
  name: string;
  /** Content type the client declared (never trusted: the bytes decide). */
  contentType: string | null;
  bytes: Buffer;
}

/** Options of {@link receiveUploads}. */
export interface ReceiveUploadsOptions {
  /** Most `file` parts accepted; 1 for /predict. */
  maxFiles: number;
  maxFileBytes: number;
}

const MAX_TEXT_FIELDS = 16;

function megabytes(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(2))} MiB`;
}

/** Content-Disposition `filename="..."` of a raw upload, if the client sent one. */
function rawName(req: Request): string {
  const value = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(req.get('content-disposition') ?? '')?.[1];
  if (value === undefined) return 'image';
  try {
    if (value.includes('%')) return decodeURIComponent(value);
  } catch {
    return value;
  }
  // Node reads header bytes as latin1; a UTF-8 name sent as is reads back right this way.
  const utf8 = Buffer.from(value, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? value : utf8;
}

/** multer 2 adds the client's file name to its errors; its type definitions do not have it yet. */
function fileName(error: MulterError): string {
  const name = (error as MulterError & { filename?: unknown }).filename;
  return typeof name === 'string' ? ` '${name}'` : '';
}

/** Multer's and busboy's errors as ours, with what was expected and what was found. */
function translate(error: unknown, req: Request, options: ReceiveUploadsOptions): unknown {
  if (error instanceof RequestError) return error;
  if (error instanceof MulterError) {
    const field = error.field === undefined ? '' : ` '${error.field}'`;
    if (error.code === 'LIMIT_UNEXPECTED_FILE' && error.field !== FILE_FIELD) {
      return new RequestError(
        'UNEXPECTED_FIELD',
        `expected the image in a part named '${FILE_FIELD}', found a file part named '${error.field ?? ''}'`,
        { cause: error },
      );
    }
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new RequestError(
          'UPLOAD_TOO_LARGE',
          `${error.field ?? FILE_FIELD}: expected at most ${megabytes(options.maxFileBytes)} per file (--max-upload-mb), found a larger file${fileName(error)}`,
          { cause: error },
        );
      case 'LIMIT_UNEXPECTED_FILE': // a 'file' part beyond the count
      case 'LIMIT_FILE_COUNT':
        return new RequestError(
          'TOO_MANY_FILES',
          options.maxFiles === 1
            ? `expected one '${FILE_FIELD}' part on ${req.path}, found more (send several to /predict/batch)`
            : `expected at most ${options.maxFiles} '${FILE_FIELD}' parts (--max-files), found more`,
          { cause: error },
        );
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
        return new RequestError(
          'TOO_MANY_PARTS',
          `expected at most ${options.maxFiles} file parts and ${MAX_TEXT_FIELDS} text fields, found more parts`,
          { cause: error },
        );
      case 'LIMIT_FIELD_KEY':
      case 'LIMIT_FIELD_VALUE':
        return new RequestError(
          'FIELD_TOO_LARGE',
          `text field${field}: expected a name under 200 bytes and a value under 64 KiB, found a longer one`,
          { cause: error },
        );
      default:
        return new RequestError('MALFORMED_MULTIPART', `multipart body: ${error.message}${field}`, { cause: error });
    }
  }
  // Not req.destroyed: a request stream is also destroyed once it has been read to the end.
  const closed =
    req.socket.destroyed ||
    (error as { type?: unknown }).type === 'request.aborted' ||
    ['Request aborted', 'Request closed'].includes((error as Error).message);
  if (closed) {
    return new RequestError('CLIENT_CLOSED_REQUEST', 'the client closed the connection before the upload finished', {
      cause: error,
    });
  }
  if ((error as { type?: unknown }).type === 'entity.too.large') {
    return new RequestError(
      'UPLOAD_TOO_LARGE',
      `request body: expected at most ${megabytes(options.maxFileBytes)} (--max-upload-mb), found ${req.get('content-length') ?? 'more'} bytes`,
      { cause: error },
    );
  }
  // busboy: "Unexpected end of form", "Malformed part header", "Multipart: Boundary not found", ...
  const reason = error instanceof Error ? error.message : String(error);
  return new RequestError(
    'MALFORMED_MULTIPART',
    `multipart body: expected a complete multipart/form-data body, found a broken one (${reason})`,
    { cause: error },
  );
}

/**
 * Reads uploaded images into memory (never to disk): `multipart/form-data` with `file` parts, or a
 * raw body with an `image/*` (or `application/octet-stream`) content type. Leaves them in
 * `res.locals.uploads`. Every limit and parse failure becomes a {@link RequestError}.
 *
 * @example
 * router.post('/predict', receiveUploads({ maxFiles: 1, maxFileBytes: 10 << 20 }), handler);
 * // in handler: res.locals.uploads; // [{ name: 'digit.png', contentType: 'image/png', bytes: <Buffer 89 50 4e 47 ...> }]
 */
export function receiveUploads(options: ReceiveUploadsOptions): RequestHandler {
  const multipart = multer({
    storage: multer.memoryStorage(),
    // busboy reads `filename="..."` as latin1 unless told otherwise; browsers and curl send UTF-8.
    defParamCharset: 'utf8',
    limits: {
      fileSize: options.maxFileBytes,
      files: options.maxFiles,
      fields: MAX_TEXT_FIELDS,
      parts: options.maxFiles + MAX_TEXT_FIELDS,
      fieldSize: 64 * 1024,
      fieldNameSize: 200,
      headerPairs: 100,
    },
  }).array(FILE_FIELD, options.maxFiles);
  const raw = express.raw({ type: () => true, limit: options.maxFileBytes });

  return (req: Request, res: Response, next: NextFunction) => {
    const encoding = req.headers['content-encoding'];
    // Neither multer nor the raw path should guess at compressed bytes: images are compressed already.
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      next(
        new RequestError(
          'UNSUPPORTED_CONTENT_ENCODING',
          `Content-Encoding: expected none or 'identity' (images are compressed already), found '${encoding.slice(0, 100)}'`,
        ),
      );
      return;
    }
    const done = (error?: unknown) => {
      if (error !== undefined && error !== null) return next(translate(error, req, options));
      try {
        res.locals.uploads = collect(req);
        next();
      } catch (problem) {
        next(problem);
      }
    };
    const type = (req.get('content-type') ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) {
      multipart(req, res, done);
    } else if (type.startsWith('image/') || type.startsWith('application/octet-stream')) {
      raw(req, res, done);
    } else {
      next(
        new RequestError(
          'MISSING_FILE',
          type === ''
            ? `expected a multipart/form-data body with a part named '${FILE_FIELD}' (curl -F ${FILE_FIELD}=@digit.png) or a raw image/* body, found no content type`
            : `expected a multipart/form-data body with a part named '${FILE_FIELD}' or a raw image/* body, found content type '${type}'`,
        ),
      );
    }
  };
}

function collect(req: Request): Upload[] {
  if (Buffer.isBuffer(req.body)) {
    if (req.body.length === 0)
      throw new RequestError('MISSING_FILE', 'expected image bytes in the request body, found an empty body');
    return [{ name: rawName(req), contentType: req.get('content-type') ?? null, bytes: req.body }];
  }
  const files = (req.files ?? []) as Express.Multer.File[];
  if (files.length === 0) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const hint =
      FILE_FIELD in body
        ? `found a text field named '${FILE_FIELD}' (send the file itself: curl -F ${FILE_FIELD}=@digit.png)`
        : Object.keys(body).length > 0
          ? `found only text fields: ${Object.keys(body)
              .map((k) => `'${k}'`)
              .join(', ')}`
          : 'found no file part';
    throw new RequestError('MISSING_FILE', `expected a file part named '${FILE_FIELD}', ${hint}`);
  }
  return files.map((file) => ({ name: file.originalname, contentType: file.mimetype ?? null, bytes: file.buffer }));
}
