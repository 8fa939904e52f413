import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lenet-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs writeFileAtomic in a child process whose file size limit is `limitKb` (`ulimit -f`): past it the
 * kernel fails the write with EFBIG after writing part of the file, as a full disk does with ENOSPC.
 */
function writeUnderSizeLimit(target: string, bytes: number, limitKb: number): Promise<string> {
  const script = `require(${JSON.stringify(path.join(__dirname, 'atomic-file.ts'))})
    .writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(${bytes}))
    .then(() => console.log('written'), (error) => console.log(error.code));`;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', `ulimit -f ${limitKb} && exec "$0" -r ts-node/register/transpile-only -e "$1"`, process.execPath, script],
      { cwd: __dirname },
      (error, stdout, stderr) =>
        error === null ? resolve(stdout.trim()) : reject(new Error(`${error.message}${stderr}`)),
    );
  });
}

describe('writeFileAtomic', () => {
  test('when a file is written, then it has the content and no temporary file remains', async () => {
    const target = path.join(dir, 'model.json');
    await writeFileAtomic(target, '{"a":1}');
    expect(await readFile(target, 'utf8')).toBe('{"a":1}');
    expect(await readdir(dir)).toEqual(['model.json']);
  });

  test('when the disk refuses the write half-way, then the error is thrown and no partial temporary file is left', async () => {
    const result = await writeUnderSizeLimit(path.join(dir, 'weights.bin'), 200_000, 64);
    expect(result).toBe('EFBIG');
    expect(await readdir(dir)).toEqual([]);
  });

  test('when the write fits under the same limit, then it succeeds (the limit is what failed above)', async () => {
    expect(await writeUnderSizeLimit(path.join(dir, 'small.bin'), 1000, 64)).toBe('written');
    expect(await readdir(dir)).toEqual(['small.bin']);
  });
});
