export {
  CLASS_COUNT,
  DIGIT_PIXELS,
  DIGIT_SIZE,
  digitsToModelInput,
  digitToModelInput,
  INPUT_PADDING,
  MNIST_MEAN,
  MNIST_STD,
  MODEL_INPUT_SIZE,
  MODEL_INPUT_VALUES,
  PREPROCESSING,
  type Preprocessing,
} from './model-input';
