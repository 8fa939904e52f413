import { lstat, mkdir, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { TEMPORARY_FILE } from './atomic-file';
import { RunFolderError } from './errors';

/**
 * A run folder (`lenet train --output`) holds `checkpoint/` (the latest) and `epoch-N/` (milestones),
 * each a checkpoint folder, plus the run's log and report.
 */
const CHECKPOINT_FOLDER = /^(checkpoint|epoch-\d+)$/;

function notWritable(directory: string, found: string, cause?: unknown): RunFolderError {
  return new RunFolderError(
    'RUN_FOLDER_NOT_WRITABLE',
    `${directory}: expected a folder this process can create and write, found ${found}`,
    cause === undefined || knownReason(cause) !== undefined ? undefined : { cause },
  );
}

/** Plain words for the usual codes; the error then carries no cause, whose raw text would only repeat them. */
const KNOWN_REASONS: Record<string, string> = {
  EACCES: 'no permission',
  EPERM: 'no permission',
  EROFS: 'a read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota used up',
  ENOTDIR: 'a file where a folder should be',
  // mkdir in an existing folder answers ENOENT only on virtual file systems such as /proc.
  ENOENT: 'the file system refuses it',
};

function knownReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? undefined : KNOWN_REASONS[code];
}

function reason(error: unknown): string {
  return knownReason(error) ?? String((error as NodeJS.ErrnoException).code ?? error);
}

/**
 * Creates `directory` (and missing parents) and proves it writable by writing and removing a probe
 * file, so a run fails before training rather than after its first epoch. Parents are created one at
 * a time, from the nearest existing one: Node's recursive mkdir loops forever on paths such as
 * `/proc/x`, where the kernel answers ENOENT for a parent that exists.
 *
 * @throws RunFolderError `RUN_FOLDER_NOT_WRITABLE` naming the folder and why.
 * @example
 * await ensureWritableFolder('output'); // creates output/ if needed
 * await ensureWritableFolder('/proc/x'); // throws "/proc/x: expected a folder ... found ..."
 */
export async function ensureWritableFolder(directory: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(directory);
  for (;;) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: some parent is a file; walking up finds and names it.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw notWritable(directory, `${current} unreadable (${reason(error)})`, error);
    });
    if (info !== null) {
      if (!info.isDirectory()) throw notWritable(directory, `a file at ${current}, not a folder`);
      break;
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return;
      throw notWritable(directory, `${folder} cannot be created (${reason(error)})`, error);
    });
  }
  const probe = path.join(directory, `.write-probe-${process.pid}`);
  try {
    await writeFile(probe, 'lenet', { flag: 'w' });
  } catch (error) {
    throw notWritable(directory, `it cannot be written (${reason(error)})`, error);
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/**
 * Removes what crashed runs left in a run folder: temporary files of interrupted atomic writes (in the
 * folder and in each checkpoint folder) and write probes. Call it while holding the folder's lock, so
 * no live writer's temporary file is touched. Returns the paths removed.
 *
 * @example
 * await removeStaleTemporaryFiles('output'); // ['output/checkpoint/.weights.ab12.bin.tmp-4242-1700000000000']
 */
export async function removeStaleTemporaryFiles(directory: string): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (folder: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory() && depth === 0 && CHECKPOINT_FOLDER.test(entry.name)) await sweep(file, 1);
      else if (entry.isFile() && (TEMPORARY_FILE.test(entry.name) || entry.name.startsWith('.write-probe-'))) {
        await unlink(file).then(
          () => removed.push(file),
          () => undefined,
        );
      }
    }
  };
  await sweep(directory, 0);
  return removed;
}

/**
 * The checkpoint folders of a run folder that hold a `model.json` (`checkpoint`, `epoch-10`, ...).
 *
 * @example
 * await checkpointsIn('output'); // ['output/checkpoint', 'output/epoch-10']
 */
export async function checkpointsIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !CHECKPOINT_FOLDER.test(entry.name)) continue;
    const modelJson = path.join(directory, entry.name, 'model.json');
    if ((await lstat(modelJson).catch(() => null)) !== null) found.push(path.join(directory, entry.name));
  }
  return found.sort((a, b) => (path.basename(a) === 'checkpoint' ? -1 : path.basename(b) === 'checkpoint' ? 1 : 0));
}

/**
 * Deletes the checkpoint folders of a run folder (`--force`: start over). Keeps the log, which gains a
 * `run-start` line instead, so the earlier run stays on record.
 *
 * @example
 * await removeCheckpoints('output'); // ['output/checkpoint', 'output/epoch-10']
 */
export async function removeCheckpoints(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !CHECKPOINT_FOLDER.test(entry.name)) continue;
    await rm(path.join(directory, entry.name), { recursive: true, force: true });
    removed.push(path.join(directory, entry.name));
  }
  return removed;
}
