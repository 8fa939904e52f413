export * from './model-input';
export * from './lenet';
