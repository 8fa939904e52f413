/**
 * `@lenet/backend`: chooses and initialises the TensorFlow.js backend (one list of backends, here) and
 * registers the gradients and kernels that make training fast on WASM.
 */
export { BackendUnavailableError } from './errors';
export { BACKEND_REQUESTS, describeBackend, selectBackend } from './select-backend';
export type { BackendChoice, BackendName, BackendRequest } from './select-backend';
export { conv2dFilterGradient, conv2dInputGradient, registerForwardConvGradients } from './conv2d-gradients';
export { registerTransposeFreeMatMulGradient } from './matmul-gradient';
export { maxPool2x2Gradient, registerWasmMaxPoolGrad } from './wasm-max-pool-grad';
export { registerWasmSharedCopies } from './wasm-shared-copies';
