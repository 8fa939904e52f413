export { createLenet, LENET_PARAMETER_COUNT, type LenetOptions, predictProbabilities } from './lenet';
