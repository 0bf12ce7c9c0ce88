import type { PlanCommon, RetryPolicy } from '../../../src/model/plan.js';
import type { Span } from '../../../src/model/span.js';

/** One attempt, no delay: a step without `retry:`. */
export const NO_RETRY: RetryPolicy = {
  attempts: 1,
  delayMs: 0,
  backoff: 'fixed',
  maxDelayMs: 0,
  jitter: false,
  onExit: [],
};

/** The fields every plan node has, for a node `id` written at `span`, with the file's defaults. */
export function planCommon(id: string, span: Span, over: Partial<PlanCommon> = {}): PlanCommon {
  return {
    id,
    name: id,
    explicitId: true,
    span,
    timeoutMs: null,
    continueOnError: false,
    sleepMs: 0,
    needs: [],
    ...over,
  };
}
