import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend, type BackendChoice, type BackendRequest } from '@lenet/backend';

/**
 * Picks the backend for a command and prints which one is in use (to stderr when stdout carries JSON),
 * so the slow path is never chosen silently.
 */
export async function setUpBackend(requested: BackendRequest, print: (line: string) => void): Promise<BackendChoice> {
  // Production mode drops debug-only checks and the cpu backend's "install tfjs-node" banner; we print our own line.
  tf.enableProdMode();
  const choice = await selectBackend(requested);
  print(describeBackend(choice));
  return choice;
}
