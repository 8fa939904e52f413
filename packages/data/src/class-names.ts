import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ClassNamesError } from './errors';
import { MNIST_CLASS_COUNT } from './idx-format';

/** The file {@link findClassNames} looks for beside the IDX files. */
export const CLASS_NAMES_FILE = 'class-names.txt';

/**
 * Reads the names of classes 0..9 from a text file, one per line in label order (UTF-8; surrounding
 * spaces, `\r` and a byte-order mark are dropped, as are empty lines at the end).
 *
 * @throws {@link ClassNamesError}: `CLASS_NAMES_MISSING`, `CLASS_NAMES_READ_FAILED`,
 *   `CLASS_NAMES_BAD_COUNT` or `CLASS_NAMES_EMPTY`, naming the file (and the line).
 * @example
 * await readClassNames('/usr/share/datasets/fashion-mnist/class-names.txt');
 * // ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
 */
export async function readClassNames(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT'
      ? new ClassNamesError('CLASS_NAMES_MISSING', `${file}: expected a class names file, found no such file`, { file })
      : new ClassNamesError(
          'CLASS_NAMES_READ_FAILED',
          `${file}: expected a readable text file, found ${code ?? error}`,
          {
            file,
            cause: error,
          },
        );
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((line) => line.trim());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  if (lines.length !== MNIST_CLASS_COUNT) {
    throw new ClassNamesError(
      'CLASS_NAMES_BAD_COUNT',
      `${file}: expected ${MNIST_CLASS_COUNT} class names, one per line, found ${lines.length} lines`,
      { file },
    );
  }
  const empty = lines.indexOf('');
  if (empty >= 0) {
    throw new ClassNamesError(
      'CLASS_NAMES_EMPTY',
      `${file}: expected a name on every line, found line ${empty + 1} (class ${empty}) empty`,
      { file },
    );
  }
  return lines;
}

/**
 * The class names in `class-names.txt` beside a folder's IDX files, or null when there is no such file.
 *
 * @throws {@link ClassNamesError} when the file exists but is not 10 names.
 * @example
 * await findClassNames('data/mnist'); // null: digits need no names
 */
export async function findClassNames(dir: string): Promise<string[] | null> {
  try {
    return await readClassNames(join(dir, CLASS_NAMES_FILE));
  } catch (error) {
    if (error instanceof ClassNamesError && error.code === 'CLASS_NAMES_MISSING') return null;
    throw error;
  }
}
