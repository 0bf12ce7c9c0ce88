import { attemptWithoutRun, type AttemptRun } from './leaf.js';
import { linkedSignal, statusForAbort } from './signals.js';
import type { RunContext, Scope } from './types.js';

/**
 * Runs one attempt holding a global concurrency slot, under its own signal: the scope's cancel plus
 * the step timeout. The timeout starts once the slot is held: time spent queued is not the step's.
 */
export async function withSlot(
  ctx: RunContext,
  scope: Scope,
  attempt: number,
  timeoutMs: number | null,
  body: (signal: AbortSignal) => Promise<AttemptRun>,
): Promise<AttemptRun> {
  const queuedAt = Date.now();
  const step = linkedSignal([scope.signal]);
  try {
    const release = await ctx.limit.acquire(step.signal);
    if (!release) return attemptWithoutRun(scope, attempt, statusForAbort(step.signal), queuedAt);
    try {
      step.arm(timeoutMs);
      return await body(step.signal);
    } finally {
      release();
    }
  } finally {
    step.dispose();
  }
}
