export * from './shuffle';
export * from './examples';
export * from './train-step';
export * from './evaluate';
export * from './train';
export * from './report';
