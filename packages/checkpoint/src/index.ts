export * from './errors';
export * from './metadata';
export * from './save-checkpoint';
export * from './load-checkpoint';
export * from './atomic-file';
