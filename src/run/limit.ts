/** Releases a slot; calling it twice is harmless. */
export type Release = () => void;

/** A counting semaphore; `acquire` resolves undefined when the signal aborts before a slot frees up. */
export interface Limit {
  acquire(signal: AbortSignal): Promise<Release | undefined>;
  readonly active: number;
  readonly max: number;
}

interface Waiter {
  grant: () => void;
}

export function createLimit(max: number): Limit {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`concurrency must be a whole number >= 1, got ${max}`);
  const state = { active: 0 };
  const waiters: Waiter[] = [];
  const makeRelease = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
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
  waiters: Waiter[],
  signal: AbortSignal,
  makeRelease: () => Release,
): Promise<Release | undefined> {
  return new Promise((resolve) => {
    const waiter: Waiter = {
      grant: () => {
        signal.removeEventListener('abort', onAbort);
        resolve(makeRelease());
      },
    };
    const onAbort = () => {
      const i = waiters.indexOf(waiter);
      if (i >= 0) waiters.splice(i, 1);
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    waiters.push(waiter);
  });
}
