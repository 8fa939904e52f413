import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '@lenet/backend';
import { cliPackage } from './repo-root';

/** The npm packages behind each backend, in the order `--backend auto` tries them. */
const BACKEND_PACKAGES: Record<BackendName, readonly string[]> = {
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

function installed(packageName: string): boolean {
  try {
    // Resolved, not loaded: --version stays instant and never starts a backend.
    createRequire(__filename).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/**
 * What `lenet --version` prints: the CLI's version, TensorFlow.js's (tfjs-core `version_core`) and the
 * backends whose packages are installed (whether one initialises is decided when a command starts).
 *
 * @example
 * versionText();
 * // "lenet 0.1.0\nTensorFlow.js 4.22.0 (tfjs-core)\nbackends: wasm, cpu (not installed: tensorflow)"
 */
export function versionText(): string {
  const names = Object.keys(BACKEND_PACKAGES) as BackendName[];
  const available = names.filter((name) => BACKEND_PACKAGES[name].some(installed));
  const missing = names.filter((name) => !available.includes(name));
  const note = missing.length > 0 ? ` (not installed: ${missing.join(', ')})` : '';
  return [
    `lenet ${cliPackage().version}`,
    `TensorFlow.js ${tf.version_core} (tfjs-core)`,
    `backends: ${available.join(', ')}${note}`,
  ].join('\n');
}
