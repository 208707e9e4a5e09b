export * from './message-types';
export * from './errors';
export * from './multiplex';
export * from './doc-messages';
export * from './durability';
