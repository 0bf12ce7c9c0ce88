export * from './types.js';
export { createLocalExecutor, buildLocalSpawn, PIPE_LINGER_MS } from './local.js';
export type { LocalSpawn } from './local.js';
export { createDryExecutor } from './dry.js';
export { createExecutorSet } from './set.js';
export type { ExecutorParts } from './set.js';
