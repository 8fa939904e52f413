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

/** One optimisation step and the optimizer it updates. */
export interface TrainStep {
  optimizer: tf.MomentumOptimizer;
  /** Trains on one batch; returns the batch's mean loss and how many it classified right. */
  run(inputs: Float32Array, labels: Int32Array): { loss: number; correct: number };
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
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);

  const run = (inputs: Float32Array, labels: Int32Array) => {
    const size = labels.length;
    const [lossValue, correctValue] = tf.tidy(() => {
      const xs = tf.tensor4d(inputs, [size, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1]);
      const ys = tf.tensor1d(labels, 'int32');
      let correct: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
        // variableGrads disposes what its function made, except what is kept.
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), ys), 'int32')) as tf.Scalar);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(ys, CLASS_COUNT), logits) as tf.Scalar;
      }, variables);
      const decayed = variables.map((variable) => ({
        name: variable.name,
        tensor:
          weightDecay === 0
            ? (grads[variable.name] as tf.Tensor)
            : tf.add(grads[variable.name] as tf.Tensor, tf.mul(variable, weightDecay)),
      }));
      optimizer.applyGradients(decayed);
      return [value, correct as tf.Scalar];
    });
    const loss = lossValue.dataSync()[0] as number;
    const correct = correctValue.dataSync()[0] as number;
    tf.dispose([lossValue, correctValue]);
    return { loss, correct };
  };
  return { optimizer, run };
}
