/**
 * A small Dockerfile reader for the image tests: instructions with continuation lines joined,
 * grouped by build stage.
 */
import { readFileSync } from 'node:fs';

/** One instruction: `COPY --from=build /built/ ./` -> { keyword: 'COPY', args: '--from=build /built/ ./' }. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its FROM line's image and name, and the instructions under it. */
export interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

/**
 * Parses a Dockerfile into stages (instructions before the first FROM, such as global ARGs, are dropped).
 *
 * @example
 * readDockerfile('Dockerfile').map((s) => `${s.image} AS ${s.name}`);
 * // ['node:20-bookworm AS manifests', 'node:20-bookworm AS build', 'node:20-bookworm-slim AS runtime']
 */
export function readDockerfile(file: string): Stage[] {
  const joined = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim().replace(/\s+/g, ' ');
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ image: from?.[1] ?? args, name: from?.[2] ?? null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return stages;
}

/**
 * The variable names an `ENV` instruction sets (`ENV A=1 B=2` or the old `ENV A 1`).
 *
 * @example
 * envNames('HOST=0.0.0.0 PORT=8000'); // ['HOST', 'PORT']
 */
export function envNames(args: string): string[] {
  return Object.keys(envValues(args));
}

/**
 * The variables an `ENV A=1 B=2` instruction sets, with their values (the old `ENV A 1` form too).
 *
 * @example
 * envValues('HOST=0.0.0.0 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072');
 * // { HOST: '0.0.0.0', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' }
 */
export function envValues(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [name = '', ...value] = args.split(' ');
    return { [name]: value.join(' ') };
  }
  return Object.fromEntries([...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)].map((m) => [m[1]!, m[2]!]));
}

/**
 * The patterns of a .dockerignore, without comments and blank lines.
 *
 * @example
 * readDockerignore('.dockerignore'); // ['.git', '**\/node_modules', ..., '!output/checkpoint']
 */
export function readDockerignore(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
