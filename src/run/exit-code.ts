import type { ExitCodePolicy } from '../model/ast.js';
import type { RunResult } from '../model/result.js';

/**
 * The process exit code of a run (docs/exit-codes.md), by precedence: interrupted 130/143, could
 * not start 2, unhandled failure 1 / timed-out 4 / unreachable 3, `return N` N, a tolerated
 * unreachable host 3, else 0. A `failure_exit` on the failing node and the workflow's
 * `exit_codes` policy change the code of an unhandled failure.
 */
export function exitCodeFor(result: Omit<RunResult, 'exitCode'>, policy: ExitCodePolicy = {}): number {
  if (result.status === 'interrupted') return result.interrupted === 'SIGTERM' ? 143 : 130;
  if (result.error !== undefined) return 2;
  switch (result.status) {
    case 'failed':
      return result.failureExit ?? failedCode(result, policy);
    case 'timed-out':
      return result.failureExit ?? policy.timedOut ?? 4;
    case 'unreachable':
      return result.failureExit ?? 3;
    case 'returned':
      return result.returnCode ?? 0;
    case 'ok':
      return result.unreachableHosts.length > 0 ? 3 : 0;
  }
}

// `failed: step`: the failing step's own exit code, 1 when it had none (render error) or 0 (`success:` said no).
function failedCode(result: Omit<RunResult, 'exitCode'>, policy: ExitCodePolicy): number {
  if (policy.failed === undefined) return 1;
  if (policy.failed !== 'step') return policy.failed;
  const step = result.steps.findLast((s) => s.id === result.failedStep);
  if (step?.status === 'timed-out') return policy.timedOut ?? 4;
  const code = step?.exitCode ?? 0;
  return code === 0 ? 1 : code;
}
