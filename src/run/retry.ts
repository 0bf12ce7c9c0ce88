import type { RetryPolicy } from '../model/plan.js';
import type { AttemptResult, StepStatus } from '../model/result.js';
import { sleep } from './delay.js';
import type { AttemptRun, LeafInstance } from './leaf.js';
import { statusForAbort } from './signals.js';
import type { RunContext, Scope } from './types.js';

export interface RetryRun {
  runs: AttemptRun[];
  /** The last attempt's status, or cancelled/timed-out when the wait before a retry was cut short. */
  status: StepStatus;
}

/** Failures that another attempt might fix: not a cancel, not a key or credential problem. */
export function shouldRetry(policy: RetryPolicy, result: AttemptResult): boolean {
  if (result.attempt >= policy.attempts) return false;
  if (result.status !== 'failed' && result.status !== 'timed-out' && result.status !== 'unreachable')
    return false;
  if (result.error?.code === 'auth' || result.error?.code === 'host-key' || result.error?.code === 'render')
    return false;
  if (policy.onExit.length === 0) return true;
  return result.exitCode !== null && policy.onExit.includes(result.exitCode);
}

/** Delay after the `attempt`-th failure: fixed, or delay·2^(attempt-1) capped at maxDelay; jitter scales by [0.5, 1]. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  let ms = policy.backoff === 'exponential' ? policy.delayMs * 2 ** (attempt - 1) : policy.delayMs;
  if (policy.maxDelayMs > 0) ms = Math.min(ms, policy.maxDelayMs);
  if (policy.jitter) ms *= 0.5 + 0.5 * random();
  return Math.round(ms);
}

/** Runs attempts until one needs no retry or they run out; every attempt is kept. */
export async function runWithRetry(
  ctx: RunContext,
  leaf: LeafInstance,
  scope: Scope,
  runAttempt: (attempt: number) => Promise<AttemptRun>,
): Promise<RetryRun> {
  const policy = leaf.node.spec.retry;
  const runs: AttemptRun[] = [];
  for (let attempt = 1; ; attempt++) {
    const run = await runAttempt(attempt);
    runs.push(run);
    if (scope.signal.aborted || !shouldRetry(policy, run.result)) return { runs, status: run.result.status };
    const delayMs = retryDelayMs(policy, attempt, ctx.random);
    const { id } = leaf.node;
    ctx.emit({
      kind: 'step-retry',
      id,
      name: leaf.node.name,
      host: leaf.host,
      attempt,
      delayMs,
      exitCode: run.result.exitCode,
      at: Date.now(),
    });
    if (!(await sleep(delayMs, scope.signal))) return { runs, status: statusForAbort(scope.signal) };
  }
}
