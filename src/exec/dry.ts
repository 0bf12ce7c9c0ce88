import type { Executor } from './types.js';

/** Runs nothing and opens no connection: every command "succeeds" at once, every copy changes nothing. */
export function createDryExecutor(): Executor {
  return {
    exec: () => Promise.resolve({ exitCode: 0, signal: null }),
    copy: () => Promise.resolve({ changed: false, files: 0, bytes: 0 }),
    close: () => Promise.resolve(),
  };
}
