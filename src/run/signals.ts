import { setMaxListeners } from 'node:events';
import { isCancelReason, type CancelReason } from '../model/cancel.js';
import type { SkipReason, StepStatus } from '../model/result.js';

/** A signal that follows its parents and can time out on its own; `dispose` detaches it. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Starts the timeout now (null = none); the abort reason is `{ kind: 'timeout' }`. */
  arm(timeoutMs: number | null): void;
  abort(reason: CancelReason): void;
  dispose(): void;
}

/** Built from setTimeout + AbortController, not AbortSignal.timeout, so fake timers drive it. */
export function linkedSignal(
  parents: readonly (AbortSignal | undefined)[],
  timeoutMs?: number | null,
): LinkedSignal {
  const controller = new AbortController();
  // Many steps listen to one run signal at once; that is expected, not a leak.
  setMaxListeners(0, controller.signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const detach: (() => void)[] = [];
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      abort(parent.reason);
      continue;
    }
    const onAbort = () => abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    detach.push(() => parent.removeEventListener('abort', onAbort));
  }
  const arm = (ms: number | null) => {
    if (ms === null || controller.signal.aborted) return;
    timer = setTimeout(() => abort({ kind: 'timeout', afterMs: ms } satisfies CancelReason), ms);
  };
  if (timeoutMs !== undefined) arm(timeoutMs);
  return {
    signal: controller.signal,
    arm,
    abort,
    dispose: () => {
      if (timer) clearTimeout(timer);
      for (const d of detach) d();
    },
  };
}

function abortReason(signal: AbortSignal): CancelReason {
  return isCancelReason(signal.reason) ? signal.reason : { kind: 'cancel', why: 'interrupt' };
}

/** What a step stopped by this signal becomes: its timeout → timed-out, any cancel → cancelled. */
export function statusForAbort(signal: AbortSignal): StepStatus {
  return abortReason(signal).kind === 'timeout' ? 'timed-out' : 'cancelled';
}

/** Why a step that never started was skipped: fail-fast cancelled it, anything else means not reached. */
export function skipReasonForAbort(signal: AbortSignal): SkipReason {
  const reason = abortReason(signal);
  return reason.kind === 'cancel' && reason.why === 'fail-fast' ? 'cancelled' : 'not-reached';
}
