import type { Target } from '../model/plan.js';
import { ExecError } from './types.js';
import type { Executor, ExecutorSet } from './types.js';

/**
 * `ssh` is a synchronous factory, called at most once, on the first ssh target. To keep ssh2 out of
 * runs that never need it, the caller imports the ssh module (`await import(...)`) only when the plan
 * has ssh targets, and passes `ssh` only then.
 */
export interface ExecutorParts {
  local: Executor;
  ssh?: () => Executor;
}

/** Used when a plan reaches an ssh target but no ssh executor was given: the step fails, the run goes on. */
function missingSsh(target: Target & { kind: 'ssh' }): Executor {
  const error = (): Promise<never> =>
    Promise.reject(
      new ExecError(
        'internal',
        `cannot run on host "${target.name}": no SSH executor was configured; pass an ssh factory to createExecutorSet`,
      ),
    );
  return { exec: error, copy: error, close: () => Promise.resolve() };
}

export function createExecutorSet(parts: ExecutorParts): ExecutorSet {
  let ssh: Executor | undefined;
  let closing: Promise<void> | undefined;
  return {
    for(target) {
      if (target.kind === 'local') return parts.local;
      if (parts.ssh === undefined) return missingSsh(target);
      ssh ??= parts.ssh();
      return ssh;
    },
    // Closes every executor even if one fails; the first failure is rethrown afterwards.
    close() {
      closing ??= Promise.allSettled([parts.local.close(), ...(ssh === undefined ? [] : [ssh.close()])]).then(
        (results) => {
          const failed = results.find((r) => r.status === 'rejected');
          if (failed !== undefined) throw failed.reason;
        },
      );
      return closing;
    },
  };
}
