import { evaluateCondition } from '../expr/index.js';
import type { LoopPolicy } from '../model/plan.js';
import type { StepError, StepStatus } from '../model/result.js';
import { sleep } from './delay.js';
import type { AttemptRun } from './leaf.js';
import { describeEvalError } from './render-command.js';
import type { RetryRun } from './retry.js';
import { evalContextFor } from './scope.js';
import { statusForAbort } from './signals.js';
import { isFailure } from './status.js';
import type { RunContext, Scope } from './types.js';

export interface LoopRun {
  runs: AttemptRun[];
  status: StepStatus;
  iterations: number;
  error?: StepError;
}

/**
 * With `until`: iterate until it holds (failed iterations do not stop the loop) and fail when `max`
 * runs out. Without: run `max` times, stopping at the first failed iteration.
 */
export async function runLoop(
  ctx: RunContext,
  loop: LoopPolicy,
  scope: Scope,
  runIteration: (scope: Scope) => Promise<RetryRun>,
): Promise<LoopRun> {
  const runs: AttemptRun[] = [];
  for (let iteration = 1; iteration <= loop.max; iteration++) {
    const inner: Scope = { ...scope, iteration };
    const r = await runIteration(inner);
    runs.push(...r.runs);
    const done = (status: StepStatus, error?: StepError): LoopRun => ({
      runs,
      status,
      iterations: iteration,
      ...(error ? { error } : {}),
    });
    if (r.status === 'cancelled' || scope.signal.aborted)
      return done(scope.signal.aborted ? statusForAbort(scope.signal) : r.status);
    if (loop.until) {
      const last = r.runs[r.runs.length - 1];
      const current = last ? { ...last.view, status: r.status, success: r.status === 'ok' } : undefined;
      const u = evaluateCondition(loop.until, evalContextFor(ctx, inner, current));
      if (!u.ok)
        return done('failed', {
          code: 'render',
          message: ctx.masker.mask(describeEvalError('cannot evaluate loop until', u.error)),
        });
      // A dry run shows the success path: placeholders cannot satisfy `until`, so the first pass does.
      if (u.value || ctx.options.dryRun) return done('ok');
      if (iteration === loop.max) {
        const message = `loop reached max ${loop.max} iterations without "until" holding; raise loop.max or check the condition`;
        return done('failed', { code: 'loop-exhausted', message });
      }
    } else if (isFailure(r.status) || iteration === loop.max) {
      return done(r.status);
    }
    if (!(await sleep(loop.delayMs, scope.signal))) return done(statusForAbort(scope.signal));
  }
  return { runs, status: 'ok', iterations: 0 };
}
