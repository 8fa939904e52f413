import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, MODEL_INPUT_SIZE } from '@lenet/digit';

/** Options for {@link createTrainStep}. */
export interface TrainStepOptions {
  model: tfl.LayersModel;
  learningRate: number;
  momentum: number;
  /** L2 penalty added to every gradient as `weightDecay * weight`, as PyTorch's SGD does. */
  weightDecay: number;
}

/** A batch's mean loss and how many of its examples were classified right. */
export interface StepResult {
  loss: number;
  correct: number;
}

/** One optimisation step and the optimizer it updates. */
export interface TrainStep {
  optimizer: tf.MomentumOptimizer;
  /** Trains on one batch; returns the batch's mean loss and how many it classified right. */
  run(inputs: Float32Array, labels: Int32Array): StepResult;
}

/**
 * The model's trainable variables, in the model's order (the order the workers' flat buffers use).
 *
 * @example
 * trainableVariables(createLenet()).map((v) => v.shape); // [[5, 5, 1, 6], [6], [5, 5, 6, 16], ...]
 */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/**
 * Mean softmax cross-entropy of a batch and its gradients with respect to `variables`; `correct` is
 * kept out of variableGrads' clean-up. Call inside `tf.tidy`.
 *
 * @example
 * tf.tidy(() => batchGradients(model, variables, inputs, labels).grads); // { [variable.name]: gradient }
 */
export function batchGradients(
  model: tfl.LayersModel,
  variables: tf.Variable[],
  inputs: Float32Array,
  labels: Int32Array,
): { value: tf.Scalar; correct: tf.Scalar; grads: tf.NamedTensorMap } {
  const size = labels.length;
  const xs = tf.tensor4d(inputs, [size, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1]);
  const ys = tf.tensor1d(labels, 'int32');
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
    // variableGrads disposes what its function made, except what is kept.
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), ys), 'int32')) as tf.Scalar);
    return tf.losses.softmaxCrossEntropy(tf.oneHot(ys, CLASS_COUNT), logits) as tf.Scalar;
  }, variables);
  return { value, correct: correct as tf.Scalar, grads };
}

/**
 * Folds weight decay into `grads` (g + weightDecay * w) and applies one SGD-momentum update with the
 * tfjs optimizer. Call inside `tf.tidy`.
 *
 * @example
 * tf.tidy(() => applyUpdate(optimizer, variables, grads, 1e-4)); // variables moved by one step
 */
export function applyUpdate(
  optimizer: tf.MomentumOptimizer,
  variables: tf.Variable[],
  grads: tf.Tensor[],
  weightDecay: number,
): void {
  optimizer.applyGradients(
    variables.map((variable, i) => ({
      name: variable.name,
      tensor:
        weightDecay === 0 ? (grads[i] as tf.Tensor) : tf.add(grads[i] as tf.Tensor, tf.mul(variable, weightDecay)),
    })),
  );
}

/**
 * SGD with momentum on softmax cross-entropy, with PyTorch's semantics (buf = m*buf + g; w -= lr*buf;
 * weight decay folded into g). All tensors of a step live inside one `tidy`.
 *
 * @example
 * const step = createTrainStep({ model, learningRate: 0.025, momentum: 0.9, weightDecay: 1e-4 });
 * step.run(batch.inputs, batch.labels); // { loss: 2.29, correct: 9 }
 */
export function createTrainStep(options: TrainStepOptions): TrainStep {
  const { model, weightDecay } = options;
  const optimizer = tf.train.momentum(options.learningRate, options.momentum) as tf.MomentumOptimizer;
  const variables = trainableVariables(model);

  const run = (inputs: Float32Array, labels: Int32Array) => {
    const [lossValue, correctValue] = tf.tidy(() => {
      const { value, correct, grads } = batchGradients(model, variables, inputs, labels);
      applyUpdate(
        optimizer,
        variables,
        variables.map((variable) => grads[variable.name] as tf.Tensor),
        weightDecay,
      );
      return [value, correct];
    });
    const loss = lossValue.dataSync()[0] as number;
    const correct = correctValue.dataSync()[0] as number;
    tf.dispose([lossValue, correctValue]);
    return { loss, correct };
  };
  return { optimizer, run };
}
