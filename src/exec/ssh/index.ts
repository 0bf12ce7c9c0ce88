export { createSshExecutor, type PingResult, type SshExecutor } from './executor.js';
export type { SshOptions } from './options.js';
export type { HostKeyPolicy } from './host-key.js';
export { fingerprintOf, knownHostName } from './known-hosts.js';
export { shellQuote, quoteArgv } from './quote.js';
