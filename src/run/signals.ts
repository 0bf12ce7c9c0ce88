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

type OnAbort = (reason: unknown) => void;

/** The children following one parent signal, and the parent's single listener that aborts them. */
interface Hub {
  readonly children: Set<OnAbort>;
  readonly fire: () => void;
}

const hubs = new WeakMap<AbortSignal, Hub>();

/**
 * Calls `onAbort` when `parent` aborts; returns the detach. One listener on the parent however many
 * children follow it: a fan-out queues a step per host on one scope signal, and Node's EventTarget
 * walks every listener on each add (quadratic; bench/signals.mjs). The last detach removes it.
 */
function follow(parent: AbortSignal, onAbort: OnAbort): () => void {
  let hub = hubs.get(parent);
  if (!hub) {
    const children = new Set<OnAbort>();
    // Live iteration: a child detached by an earlier child's abort is skipped, as EventTarget does.
    const fire = () => {
      hubs.delete(parent);
      for (const child of children) child(parent.reason);
      children.clear();
    };
    hub = { children, fire };
    hubs.set(parent, hub);
    parent.addEventListener('abort', fire, { once: true });
  }
  const mine = hub;
  mine.children.add(onAbort);
  return () => {
    if (!mine.children.delete(onAbort) || mine.children.size > 0 || hubs.get(parent) !== mine) return;
    hubs.delete(parent);
    parent.removeEventListener('abort', mine.fire);
  };
}

/** Built from setTimeout + AbortController, not AbortSignal.timeout, so fake timers drive it. */
export function linkedSignal(
  parents: readonly (AbortSignal | undefined)[],
  timeoutMs?: number | null,
): LinkedSignal {
  const controller = new AbortController();
  // Reporters, executors and the slot queue may each listen to one step's signal; not a leak.
  setMaxListeners(0, controller.signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const detach: (() => void)[] = [];
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) abort(parent.reason);
    else detach.push(follow(parent, abort));
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
