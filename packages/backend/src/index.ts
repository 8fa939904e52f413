export * from './errors';
export * from './select-backend';
export * from './conv2d-gradients';
export * from './matmul-gradient';
export * from './wasm-max-pool-grad';
