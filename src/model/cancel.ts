/** The `reason` of a step's AbortSignal: the runner owns time and cancellation, executors read it. */
export type CancelReason =
  { kind: 'timeout'; afterMs: number } | { kind: 'cancel'; why: 'interrupt' | 'fail-fast' | 'run-timeout' };

export function isCancelReason(x: unknown): x is CancelReason {
  return typeof x === 'object' && x !== null && 'kind' in x && (x.kind === 'timeout' || x.kind === 'cancel');
}
