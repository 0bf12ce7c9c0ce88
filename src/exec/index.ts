export * from './types.js';
export { createLocalExecutor, buildLocalSpawn } from './local.js';
export { createDryExecutor } from './dry.js';
export { createExecutorSet } from './set.js';
