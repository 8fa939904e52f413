import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_INPUT_VALUES } from '@lenet/digit';
import { batchGradients, trainableVariables } from '../train-step';

/** A model replica with its variables laid out in one flat Float32 buffer (shared weights, gradients). */
export interface Replica {
  model: tfl.LayersModel;
  variables: tf.Variable[];
  /** Start of each variable in the flat layout. */
  offsets: number[];
  parameterCount: number;
}

/**
 * The flat layout of `model`'s trainable variables.
 *
 * @example
 * replicaOf(createLenet()).parameterCount; // 61706
 */
export function replicaOf(model: tfl.LayersModel): Replica {
  const variables = trainableVariables(model);
  const offsets: number[] = [];
  let parameterCount = 0;
  for (const variable of variables) {
    offsets.push(parameterCount);
    parameterCount += variable.size;
  }
  return { model, variables, offsets, parameterCount };
}

/**
 * Copies flat `weights` into the replica's variables.
 *
 * @example
 * loadWeights(replica, new Float32Array(sharedWeights)); // the replica now computes with the shared weights
 */
export function loadWeights(replica: Replica, weights: Float32Array): void {
  tf.tidy(() => {
    replica.variables.forEach((variable, i) => {
      const offset = replica.offsets[i] as number;
      variable.assign(tf.tensor(weights.subarray(offset, offset + variable.size), variable.shape));
    });
  });
}

/**
 * Gradient of the mean loss over examples `[start, start + size)` of a batch, written flat into `into`;
 * returns that slice's mean loss and how many it classified right.
 *
 * @example
 * sliceGradients(replica, inputs, labels, 0, 32, gradients); // { loss: 2.28, correct: 4 }
 */
export function sliceGradients(
  replica: Replica,
  inputs: Float32Array,
  labels: Int32Array,
  start: number,
  size: number,
  into: Float32Array,
): { loss: number; correct: number } {
  const { model, variables, offsets } = replica;
  const [loss, correct] = tf.tidy(() => {
    const result = batchGradients(
      model,
      variables,
      inputs.subarray(start * MODEL_INPUT_VALUES, (start + size) * MODEL_INPUT_VALUES),
      labels.subarray(start, start + size),
    );
    variables.forEach((variable, i) => {
      into.set((result.grads[variable.name] as tf.Tensor).dataSync() as Float32Array, offsets[i]);
    });
    return [result.value, result.correct];
  });
  const values = [loss.dataSync()[0] as number, correct.dataSync()[0] as number];
  tf.dispose([loss, correct]);
  return { loss: values[0] as number, correct: values[1] as number };
}
