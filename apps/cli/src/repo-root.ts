import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The nearest folder at or above `start` whose package.json satisfies `accept`. */
function findPackageFolder(start: string, accept: (manifest: Record<string, unknown>) => boolean): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && accept(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

// Found by walking up rather than by counting '..': the same code runs from src/ (ts-jest), dist/src/ and
// dist/bench/, which sit at different depths.
const CLI_ROOT = findPackageFolder(__dirname, (manifest) => manifest.name === '@lenet/cli') ?? path.resolve('.');
const REPO_ROOT = findPackageFolder(CLI_ROOT, (manifest) => Array.isArray(manifest.workspaces)) ?? CLI_ROOT;

/**
 * An absolute path inside the repository (the folder whose package.json declares the workspaces).
 *
 * @example
 * repoPath('data', 'examples', 'digit-6.png'); // '/work/main/data/examples/digit-6.png'
 */
export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

/**
 * The CLI's own package.json fields that `lenet --version` prints.
 *
 * @example
 * cliPackage(); // { name: '@lenet/cli', version: '0.1.0' }
 */
export function cliPackage(): { name: string; version: string } {
  const manifest = JSON.parse(readFileSync(path.join(CLI_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  return { name: String(manifest.name), version: String(manifest.version) };
}
