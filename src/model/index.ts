export * from './namespaces';
export * from './domain';
export * from './types';
export * from './objects';
