import { open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

/** Names {@link writeFileAtomic} writes before the rename; a crash can leave them behind. */
export const TEMPORARY_FILE = /^\..+\.tmp-\d+-\d+$/;

/**
 * Writes a file so that a reader sees either the old content or the whole new content, never a part:
 * write beside the target, flush to disk, then rename over it. On any failure (disk full, a file size
 * limit, an I/O error) the temporary file is removed before the error is rethrown, so nothing partial
 * stays behind.
 *
 * @example
 * await writeFileAtomic('/runs/checkpoint/model.json', JSON.stringify(json));
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}`);
  const handle = await open(temporary, 'w');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Flushes a directory entry table, so that renames inside it survive a power cut (no-op where unsupported).
 *
 * @example
 * await syncDirectory('/runs/checkpoint');
 */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}
