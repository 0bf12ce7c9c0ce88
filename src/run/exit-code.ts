import type { RunResult } from '../model/result.js';

/**
 * The process exit code of a run (docs/exit-codes.md), by precedence: interrupted 130/143, could
 * not start 2, unhandled failure 1 / timed-out 4 / unreachable 3, `return N` N, a tolerated
 * unreachable host 3, else 0.
 */
export function exitCodeFor(result: Omit<RunResult, 'exitCode'>): number {
  if (result.status === 'interrupted') return result.interrupted === 'SIGTERM' ? 143 : 130;
  if (result.error !== undefined) return 2;
  switch (result.status) {
    case 'failed':
      return 1;
    case 'timed-out':
      return 4;
    case 'unreachable':
      return 3;
    case 'returned':
      return result.returnCode ?? 0;
    case 'ok':
      return result.unreachableHosts.length > 0 ? 3 : 0;
  }
}
