import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunFolderError } from './errors';
import { checkpointsIn, ensureWritableFolder, removeCheckpoints, removeStaleTemporaryFiles } from './run-folder';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-run-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(directory: string): Promise<RunFolderError> {
  const error = await ensureWritableFolder(directory).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunFolderError);
  return error as RunFolderError;
}

describe('ensureWritableFolder', () => {
  test('when the folder and its parents do not exist, then they are created and no probe file is left', async () => {
    const target = path.join(dir, 'a', 'b', 'run');
    await ensureWritableFolder(target);
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await readdir(target)).toEqual([]);
  });

  test('when the folder is under /proc, then it fails at once with RUN_FOLDER_NOT_WRITABLE instead of looping', async () => {
    const started = Date.now();
    const error = await refusal('/proc/x');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('RUN_FOLDER_NOT_WRITABLE');
    expect(error.message).toMatch(
      /^\/proc\/x: expected a folder this process can create and write, found \/proc\/x cannot be created/,
    );
  });

  test('when the folder exists but cannot be written, then the error says so', async () => {
    expect((await refusal('/proc')).message).toMatch(/^\/proc: .* found it cannot be written/);
  });

  test('when a parent is a file, then the error names that file', async () => {
    await writeFile(path.join(dir, 'file'), 'x');
    expect((await refusal(path.join(dir, 'file', 'run'))).message).toContain(
      `found a file at ${path.join(dir, 'file')}`,
    );
  });
});

describe('removeStaleTemporaryFiles, checkpointsIn, removeCheckpoints', () => {
  test('when crashed runs left temporary files, then exactly those are removed', async () => {
    await mkdir(path.join(dir, 'checkpoint'));
    await mkdir(path.join(dir, 'epoch-10'));
    await mkdir(path.join(dir, 'other'));
    const stale = [
      path.join(dir, 'checkpoint', '.weights.0123456789abcdef.bin.tmp-123-456'),
      path.join(dir, 'epoch-10', '.model.json.tmp-1-2'),
      path.join(dir, '.write-probe-77'),
    ];
    const kept = [
      path.join(dir, 'checkpoint', 'model.json'),
      path.join(dir, 'other', '.model.json.tmp-1-2'),
      path.join(dir, 'log.jsonl'),
    ];
    for (const file of [...stale, ...kept]) await writeFile(file, 'x');
    expect((await removeStaleTemporaryFiles(dir)).sort()).toEqual([...stale].sort());
    for (const file of kept) expect((await stat(file)).isFile()).toBe(true);
  });

  test('when a run folder holds checkpoints, then checkpointsIn lists them latest first and removeCheckpoints deletes only them', async () => {
    for (const name of ['epoch-10', 'checkpoint', 'epoch-20']) {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'model.json'), '{}');
    }
    await mkdir(path.join(dir, 'notes'));
    await writeFile(path.join(dir, 'log.jsonl'), '');
    expect((await checkpointsIn(dir))[0]).toBe(path.join(dir, 'checkpoint'));
    expect(await checkpointsIn(dir)).toHaveLength(3);
    await removeCheckpoints(dir);
    expect((await readdir(dir)).sort()).toEqual(['log.jsonl', 'notes']);
    expect(await checkpointsIn(dir)).toEqual([]);
  });
});
