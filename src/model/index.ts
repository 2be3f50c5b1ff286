export * from './namespaces';
export * from './domain';
export * from './types';
export * from './objects';
export * from './services';
