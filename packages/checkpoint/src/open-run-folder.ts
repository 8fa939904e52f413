import { ensureWritableFolder, removeStaleTemporaryFiles } from './run-folder';
import { lockRunFolder, type RunLock } from './run-lock';

/** Options of {@link openRunFolder}. */
export interface OpenRunFolderOptions {
  /** Told about a stale lock taken over and about temporary files removed. Silent by default. */
  onWarning?: (message: string) => void;
}

/**
 * Everything a training run does to its folder before it trains, in order: create it and prove it
 * writable, take its exclusive lock, then remove temporary files that crashed runs left (safe only
 * once the lock is held). Release the returned lock when the run ends.
 *
 * @throws RunFolderError `RUN_FOLDER_NOT_WRITABLE` or `RUN_FOLDER_LOCKED`.
 * @example
 * const lock = await openRunFolder('output', { onWarning: (line) => process.stderr.write(`warning: ${line}\n`) });
 * try { await train(...); } finally { await lock.release(); }
 */
export async function openRunFolder(directory: string, options: OpenRunFolderOptions = {}): Promise<RunLock> {
  await ensureWritableFolder(directory);
  const lock = await lockRunFolder(directory, options);
  try {
    const removed = await removeStaleTemporaryFiles(directory);
    if (removed.length > 0) {
      options.onWarning?.(
        `removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} left by an interrupted run in ${directory}`,
      );
    }
    return lock;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
