import {
  currentProcess,
  lockKey,
  lockPath,
  tryLock,
  type LockAttempt,
  type LockHolder,
} from '../store/index.js';

export interface RunLockOptions {
  home: string;
  realFile: string;
  vars: Readonly<Record<string, string>>;
  runId: string;
  /** Poll until the lock is free or this many ms passed; 0 = fail at once. */
  waitMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  /** Called once when the lock is held by another run and this one starts waiting for it. */
  onWait?: (holder: LockHolder) => void;
}

const POLL_MS = 200;

/** The overlap lock of a run: acquired, or held by someone (after waiting up to `waitMs`). */
export async function acquireRunLock(o: RunLockOptions): Promise<LockAttempt> {
  const now = o.now ?? Date.now;
  const me: LockHolder = { ...currentProcess(), startedAt: now(), runId: o.runId, file: o.realFile };
  const path = lockPath(o.home, lockKey(o.realFile, o.vars));
  const deadline = now() + (o.waitMs ?? 0);
  for (let waiting = false; ; waiting = true) {
    const attempt = await tryLock(path, me);
    if (attempt.kind === 'acquired' || now() >= deadline || o.signal?.aborted) return attempt;
    if (!waiting) o.onWait?.(attempt.holder);
    await pause(Math.min(POLL_MS, Math.max(1, deadline - now())), o.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `pid 4242 on web1 since 2026-11-22T03:15:00.000Z (run 20261122T031500Z-3f9a1c)`. */
export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${new Date(h.startedAt).toISOString()} (run ${h.runId})`;
}
