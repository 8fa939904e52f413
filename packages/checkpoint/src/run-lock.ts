import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
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

/** Suffix of the file that makes taking over a stale lock one process's job at a time. */
const TAKEOVER_SUFFIX = '.takeover';
/** A takeover guard older than this was left by a process that died during the takeover. */
const STALE_GUARD_MS = 10_000;
/** How long a process waits for another one's takeover of the same stale lock to finish. */
const TAKEOVER_WAIT_MS = 2_000;

/** Creates the lock file holding `mine`; false when one exists already. */
async function createLock(file: string, mine: string): Promise<boolean> {
  try {
    await writeFile(file, `${mine}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RunFolderError('RUN_FOLDER_NOT_WRITABLE', `${file}: cannot create the run lock`, { cause: error });
  }
}

function lockedError(directory: string, file: string, owner: number | null): RunFolderError {
  return new RunFolderError(
    'RUN_FOLDER_LOCKED',
    `${directory}: in use by another lenet train (PID ${owner ?? 'unknown'}); wait for it to finish, stop it, or pick another --output (remove ${file} only if that PID is not a lenet train)`,
  );
}

/**
 * Replaces the lock left by dead `staleOwner` with ours, under a guard file (created with `wx`) so
 * that of two processes finding the same stale lock only one takes it: each checks, holding the
 * guard, that the lock still names the dead owner. Without the guard, the slower one deleted the
 * lock the faster one had just written, and both trained into the folder.
 * `taken`: the lock is ours; `busy`: another process holds the guard; `lost`: the lock changed.
 */
async function takeOverStaleLock(
  file: string,
  staleOwner: number | null,
  mine: string,
): Promise<'taken' | 'busy' | 'lost'> {
  const guard = `${file}${TAKEOVER_SUFFIX}`;
  if (!(await createLock(guard, mine))) {
    const since = await stat(guard).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (since > STALE_GUARD_MS) await unlink(guard).catch(() => undefined);
    return 'busy';
  }
  try {
    if ((await readOwner(file)) !== staleOwner) return 'lost';
    await unlink(file).catch(() => undefined);
    return (await createLock(file, mine)) ? 'taken' : 'lost';
  } finally {
    await unlink(guard).catch(() => undefined);
  }
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
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    if (await createLock(file, mine)) break;
    let owner = await readOwner(file);
    // An empty lock may be one being written right now: give its writer a moment before calling it stale.
    if (owner === null) owner = await delay(100).then(() => readOwner(file));
    const live = owner === process.pid ? held.has(path.resolve(file)) : owner !== null && isRunning(owner);
    if (attempt > 0 || live) throw lockedError(directory, file, owner);
    const takeover = await takeOverStaleLock(file, owner, mine);
    if (takeover === 'taken') {
      options.onWarning?.(
        `${directory}: taking over the lock of PID ${owner ?? 'unknown'}, which is no longer running (a crashed or killed run)`,
      );
      break;
    }
    // Another process is taking the same stale lock over: wait for it to finish, then look again.
    if (takeover === 'busy' && Date.now() < deadline) {
      await delay(20);
      attempt = -1;
    }
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
