import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Router } from 'express';
import { RequestError, StartupError } from '../errors';
import { methodNotAllowed } from '../http/method-not-allowed';

/** A file of the checkpoint, read once at start. */
interface ModelFile {
  bytes: Buffer;
  type: string;
}

/** The checkpoint as served under `/model/`: exactly model.json and the weight files it names. */
export type ModelFiles = ReadonlyMap<string, ModelFile>;

/** A weight path as a plain file name in the checkpoint folder; anything else is not served. */
function plainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && path.basename(name) === name && !name.includes('\\');
}

/**
 * Reads `model.json` and the weight files its manifest names into memory, so `/model/` serves
 * the same bytes the workers loaded, cannot be steered to any other file, and never lists folders.
 *
 * @throws StartupError `CHECKPOINT_NOT_FOUND` / `CHECKPOINT_CORRUPT` when the files cannot be read
 * @example
 * const files = await readModelFiles('output/checkpoint');
 * [...files.keys()]; // ['model.json', 'weights.3f2a9c0d1b7e4a55.bin']
 */
export async function readModelFiles(location: string): Promise<ModelFiles> {
  const isFolder = (await stat(location).catch(() => null))?.isDirectory() ?? false;
  const modelJsonPath = isFolder ? path.join(location, 'model.json') : location;
  const directory = path.dirname(modelJsonPath);
  const text = await readFile(modelJsonPath).catch((error: unknown) => {
    throw new StartupError(
      'CHECKPOINT_NOT_FOUND',
      `${modelJsonPath}: cannot read the checkpoint's model.json (${(error as Error).message})`,
      { cause: error },
    );
  });
  let manifest: Array<{ paths?: unknown }>;
  try {
    manifest =
      (JSON.parse(text.toString('utf8')) as { weightsManifest?: Array<{ paths?: unknown }> }).weightsManifest ?? [];
  } catch (error) {
    throw new StartupError('CHECKPOINT_CORRUPT', `${modelJsonPath}: expected JSON, found unparsable text`, {
      cause: error,
    });
  }
  const files = new Map<string, ModelFile>([['model.json', { bytes: text, type: 'application/json' }]]);
  for (const name of manifest.flatMap((group) => (Array.isArray(group.paths) ? group.paths : []))) {
    if (typeof name !== 'string' || !plainName(name)) {
      throw new StartupError(
        'CHECKPOINT_CORRUPT',
        `${modelJsonPath}: expected weight paths to be file names beside model.json, found '${String(name)}'`,
      );
    }
    const bytes = await readFile(path.join(directory, name)).catch((error: unknown) => {
      throw new StartupError(
        'CHECKPOINT_CORRUPT',
        `${path.join(directory, name)}: weight file named in model.json cannot be read`,
        { cause: error },
      );
    });
    files.set(name, { bytes, type: 'application/octet-stream' });
  }
  return files;
}

/**
 * `GET /model/:file`: the checkpoint, read-only, for `tf.loadLayersModel('/model/model.json')`.
 *
 * @example
 * app.use(modelFileRoutes(files, '3f2a9c0d1b7e')); // GET /model/model.json -> 200; GET /model/../x -> 404
 */
export function modelFileRoutes(files: ModelFiles, weightsHash: string): Router {
  const router = Router();
  router
    .route('/model/:file')
    .get((req, res, next) => {
      const file = files.get(req.params.file);
      if (file === undefined) {
        next(
          new RequestError(
            'NOT_FOUND',
            `/model/${req.params.file}: expected one of ${[...files.keys()].join(', ')}, found no such file`,
          ),
        );
        return;
      }
      // Revalidate: a restart may serve another checkpoint under the same names.
      res.set({
        'Content-Type': file.type,
        'Cache-Control': 'no-cache',
        ETag: `"${weightsHash}"`,
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.send(file.bytes);
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  return router;
}
