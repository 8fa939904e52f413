import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunFolderError } from './errors';
import { lockRunFolder } from './run-lock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('lockRunFolder', () => {
  test('when the folder is free, then .lock holds this PID until released', async () => {
    const lock = await lockRunFolder(dir);
    expect(await readFile(path.join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
    expect(await exists(path.join(dir, '.lock'))).toBe(false);
  });

  test('when another live process holds the lock, then RUN_FOLDER_LOCKED names its PID', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dir, '.lock'), `${other.pid}\n`);
      const error = await lockRunFolder(dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RunFolderError);
      expect(error).toMatchObject({ code: 'RUN_FOLDER_LOCKED' });
      expect((error as Error).message).toContain(`in use by another lenet train (PID ${other.pid})`);
      expect(await readFile(path.join(dir, '.lock'), 'utf8')).toBe(`${other.pid}\n`);
    } finally {
      other.kill();
    }
  });

  test('when this process locks the folder twice, then the second attempt is refused', async () => {
    const lock = await lockRunFolder(dir);
    await expect(lockRunFolder(dir)).rejects.toMatchObject({ code: 'RUN_FOLDER_LOCKED' });
    await lock.release();
  });

  test('when the lock was left by a process that has exited, then it is taken over with a warning', async () => {
    const other = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('exit', resolve));
    await writeFile(path.join(dir, '.lock'), `${other.pid}\n`);
    const warnings: string[] = [];
    const lock = await lockRunFolder(dir, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([
      expect.stringContaining(`taking over the lock of PID ${other.pid}, which is no longer running`),
    ]);
    expect(await readFile(path.join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  test('when two take over the same stale lock at once, then exactly one gets it, every time', async () => {
    const other = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('exit', resolve));
    // Before the takeover guard, the slower of the two deleted the lock the faster had just written
    // and both went on (5 of 50 rounds).
    for (let round = 0; round < 100; round += 1) {
      await writeFile(path.join(dir, '.lock'), `${other.pid}\n`);
      const results = await Promise.allSettled([lockRunFolder(dir), lockRunFolder(dir)]);
      const won = results.filter(
        (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof lockRunFolder>>> => r.status === 'fulfilled',
      );
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: 'RUN_FOLDER_LOCKED' });
      expect(await exists(path.join(dir, '.lock.takeover'))).toBe(false);
      await won[0]?.value.release();
    }
  });

  test('when a takeover guard was left by a process that died taking over, then it is cleared and the lock taken', async () => {
    const other = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('exit', resolve));
    await writeFile(path.join(dir, '.lock'), `${other.pid}\n`);
    const guard = path.join(dir, '.lock.takeover');
    await writeFile(guard, `${other.pid}\n`);
    const old = new Date(Date.now() - 60_000);
    await utimes(guard, old, old);
    const lock = await lockRunFolder(dir);
    expect(await readFile(path.join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(await exists(guard)).toBe(false);
    await lock.release();
  });

  test('when the lock names this PID but this process does not hold it (a restarted container), then it is stale', async () => {
    await writeFile(path.join(dir, '.lock'), `${process.pid}\n`);
    const warnings: string[] = [];
    const lock = await lockRunFolder(dir, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toHaveLength(1);
    await lock.release();
    expect(await exists(path.join(dir, '.lock'))).toBe(false);
  });

  test('when the lock file was replaced by someone else, then release leaves theirs alone', async () => {
    const lock = await lockRunFolder(dir);
    await writeFile(path.join(dir, '.lock'), '1\n');
    await lock.release();
    expect(await readFile(path.join(dir, '.lock'), 'utf8')).toBe('1\n');
  });
});
