import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RunFolderError } from './errors';

/** The lock file in a run folder; it holds the PID of the process training into the folder. */
export const LOCK_FILE = '.lock';

/** A held run-folder lock. */
export interface RunLock {
  /** The lock file. */
  file: string;
  /** Removes the lock file if it is still ours; safe to call twice. Also runs on process exit. */
  release(): Promise<void>;
}

/** Options of {@link lockRunFolder}. */
export interface LockRunFolderOptions {
  /** Told when a lock left by a process that no longer runs is taken over. Silent by default. */
  onWarning?: (message: string) => void;
}

/**
 * Lock files this process holds. A lock naming our own PID that is not in here was left by an earlier
 * process that had the same PID: in a container, `node` is PID 1 on every restart.
 */
const held = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Takes the exclusive lock of a run folder (`DIR/.lock`, created with `wx`, holding this PID), so two
 * trainings never write one folder. A lock whose PID no longer runs (a crashed or killed run) is taken
 * over with a warning. The folder must exist.
 *
 * @throws RunFolderError `RUN_FOLDER_LOCKED` naming the PID that holds it, or `RUN_FOLDER_NOT_WRITABLE`.
 * @example
 * const lock = await lockRunFolder('output', { onWarning: console.warn });
 * try { ... } finally { await lock.release(); }
 */
export async function lockRunFolder(directory: string, options: LockRunFolderOptions = {}): Promise<RunLock> {
  const file = path.join(directory, LOCK_FILE);
  const mine = String(process.pid);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await writeFile(file, `${mine}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new RunFolderError('RUN_FOLDER_NOT_WRITABLE', `${file}: cannot create the run lock`, { cause: error });
      }
    }
    let owner = await readOwner(file);
    // An empty lock may be one being written right now: give its writer a moment before calling it stale.
    if (owner === null) owner = await delay(100).then(() => readOwner(file));
    const live = owner === process.pid ? held.has(path.resolve(file)) : owner !== null && isRunning(owner);
    if (attempt > 0 || live) {
      throw new RunFolderError(
        'RUN_FOLDER_LOCKED',
        `${directory}: in use by another lenet train (PID ${owner ?? 'unknown'}); wait for it to finish, stop it, or pick another --output (remove ${file} only if that PID is not a lenet train)`,
      );
    }
    options.onWarning?.(
      `${directory}: taking over the lock of PID ${owner ?? 'unknown'}, which is no longer running (a crashed or killed run)`,
    );
    await unlink(file).catch(() => undefined);
  }

  const stillMine = () => {
    try {
      return readFileSync(file, 'utf8').trim() === mine;
    } catch {
      return false;
    }
  };
  // A second Ctrl-C exits with process.exit; the lock must not outlive the process then either.
  const onExit = () => {
    if (stillMine()) unlinkSync(file);
  };
  process.once('exit', onExit);
  held.add(path.resolve(file));
  let released = false;
  return {
    file,
    release: async () => {
      if (released) return;
      released = true;
      held.delete(path.resolve(file));
      process.off('exit', onExit);
      if (stillMine()) await unlink(file).catch(() => undefined);
    },
  };
}
