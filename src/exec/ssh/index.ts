export { createSshExecutor, type PingResult, type SshExecutor } from './executor.js';
export type { SshOptions } from './options.js';
