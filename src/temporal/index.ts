/** Time rules (pure functions): the subgraph's time arguments, OIO periods and wire times, rows at a time. */
export * from './time';
export * from './period';
export * from './rows';
export * from './date';
