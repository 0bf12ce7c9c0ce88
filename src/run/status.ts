import type { StepStatus } from '../model/result.js';
import type { Outcome } from './types.js';

/** Statuses that count as a failure for routing, policies and block status. */
export function isFailure(status: StepStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'unreachable' || status === 'cancelled';
}

// A block that failed takes the worst status of its failed children in this order.
const SEVERITY: Readonly<Record<StepStatus, number>> = {
  failed: 4,
  'timed-out': 3,
  unreachable: 2,
  cancelled: 1,
  ok: 0,
  skipped: 0,
};

/** The worst failure status among these, or 'failed' when none of them is a failure. */
export function worstFailure(statuses: readonly StepStatus[]): StepStatus {
  let worst: StepStatus | undefined;
  for (const s of statuses) if (isFailure(s) && (!worst || SEVERITY[s] > SEVERITY[worst])) worst = s;
  return worst ?? 'failed';
}

/** The outcome without its routing: a dry run shows what follows a step that may not run. */
export function withoutEscape(outcome: Outcome): Outcome {
  const { escape: _escape, ...rest } = outcome;
  return rest;
}
