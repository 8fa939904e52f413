import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';

import { findClassNames, readClassNames } from './class-names';
import { ClassNamesError } from './errors';
import { caught, makeTempDir } from './test-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const FASHION = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

describe('readClassNames', () => {
  it('when the file has ten names with CRLF, spaces, a BOM and a trailing blank line, then the ten names come back clean', async () => {
    const file = join(dir, 'names.txt');
    await writeFile(file, `\uFEFF${FASHION.map((name) => ` ${name}\r`).join('\n')}\n\n`);
    expect(await readClassNames(file)).toEqual(FASHION);
  });

  it.each([
    [
      'nine names',
      FASHION.slice(0, 9).join('\n'),
      'CLASS_NAMES_BAD_COUNT',
      'expected 10 class names, one per line, found 9 lines',
    ],
    ['eleven names', [...FASHION, 'Extra'].join('\n'), 'CLASS_NAMES_BAD_COUNT', 'found 11 lines'],
    ['a blank line', ['zero', '', ...FASHION.slice(2)].join('\n'), 'CLASS_NAMES_EMPTY', 'found line 2 (class 1) empty'],
  ])('when the file has %s, then the typed error names the file and what is wrong', async (_, text, code, detail) => {
    const file = join(dir, 'names.txt');
    await writeFile(file, text);
    const error = await caught(() => readClassNames(file));
    expect(error).toBeInstanceOf(ClassNamesError);
    expect(error).toMatchObject({ code, file });
    expect(error.message.startsWith(`${file}: expected `)).toBe(true);
    expect(error.message).toContain(detail);
  });

  it('when the file does not exist or is a folder, then CLASS_NAMES_MISSING or CLASS_NAMES_READ_FAILED', async () => {
    await expect(readClassNames(join(dir, 'nope.txt'))).rejects.toMatchObject({ code: 'CLASS_NAMES_MISSING' });
    await mkdir(join(dir, 'folder'));
    await expect(readClassNames(join(dir, 'folder'))).rejects.toMatchObject({ code: 'CLASS_NAMES_READ_FAILED' });
  });
});

describe('findClassNames', () => {
  it('when the folder has no class-names.txt, then null', async () => {
    expect(await findClassNames(dir)).toBeNull();
  });

  it('when the folder has a class-names.txt, then its names; when it is wrong, then its error', async () => {
    await writeFile(join(dir, 'class-names.txt'), FASHION.join('\n'));
    expect(await findClassNames(dir)).toEqual(FASHION);
    await writeFile(join(dir, 'class-names.txt'), 'one\n');
    await expect(findClassNames(dir)).rejects.toMatchObject({ code: 'CLASS_NAMES_BAD_COUNT' });
  });
});
