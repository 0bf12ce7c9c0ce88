/** Releases a slot; calling it twice is harmless. */
type Release = () => void;

/**
 * A counting semaphore; `acquire` resolves undefined when the signal aborts before a slot frees up.
 * Hand-written rather than p-limit: a slot is held across a body the runner controls (the step
 * timeout starts once it is held), and a waiter whose step is cancelled leaves the queue at once.
 * Measured against p-limit doing the same (bench/limit.mjs, docs/benchmarks.md).
 */
export interface Limit {
  acquire(signal: AbortSignal): Promise<Release | undefined>;
  readonly active: number;
  readonly max: number;
}

interface Waiter {
  grant: () => void;
  /** Aborted while waiting: skipped when its turn comes (removal from the middle would be O(n)). */
  gone: boolean;
}

/** FIFO with O(1) push and take (Array#shift is O(n) on a long queue: a fan-out to 100,000 hosts). */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;

  push(w: Waiter): void {
    this.items.push(w);
  }

  /** The oldest waiter still waiting, if any. */
  take(): Waiter | undefined {
    let found: Waiter | undefined;
    while (found === undefined && this.head < this.items.length) {
      const w = this.items[this.head++]!;
      if (!w.gone) found = w;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return found;
  }
}

export function createLimit(max: number): Limit {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`concurrency must be a whole number >= 1, got ${max}`);
  const state = { active: 0 };
  const waiters = new WaitQueue();
  const makeRelease = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.take();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.grant();
      else state.active -= 1;
    };
  };
  return {
    acquire: (signal) => {
      if (signal.aborted) return Promise.resolve(undefined);
      if (state.active >= max) return wait(waiters, signal, makeRelease);
      state.active += 1;
      return Promise.resolve(makeRelease());
    },
    get active() {
      return state.active;
    },
    max,
  };
}

function wait(
  waiters: WaitQueue,
  signal: AbortSignal,
  makeRelease: () => Release,
): Promise<Release | undefined> {
  return new Promise((resolve) => {
    const waiter: Waiter = {
      grant: () => {
        signal.removeEventListener('abort', onAbort);
        resolve(makeRelease());
      },
      gone: false,
    };
    const onAbort = () => {
      waiter.gone = true;
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    waiters.push(waiter);
  });
}
