export { createLenet, LENET_PARAMETER_COUNT, type LenetOptions, logitsOf, predictProbabilities } from './lenet';
