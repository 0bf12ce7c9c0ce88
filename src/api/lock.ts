import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REGISTRY_FILE, survivors, type OpenGroup } from '../exec/process-registry.js';
import {
  currentProcess,
  runDirFor,
  lockKey,
  lockPath,
  tryLock,
  type LockAttempt,
  type LockHolder,
  type RunLeases,
  DEFAULT_LEASE_MS,
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
  /** The store's leases (PostgreSQL): the lock lives there, shared by every box, instead of in a file. */
  leases?: RunLeases;
  /** Lease time (TASKER_LOCK_LEASE); default DEFAULT_LEASE_MS. */
  leaseMs?: number;
  /** A lease that could not be renewed or was lost, said while the run goes on. */
  onWarning?: (message: string) => void;
}

const POLL_MS = 200;

/** Step process groups a dead holder's run left running (from its run directory's registry). */
export type LeftRunning = (OpenGroup & { pids: number[] })[];

/** Acquired, held, or free only in name: the holder is gone but its step processes still run. */
export type RunLockAttempt =
  LockAttempt | { kind: 'left-running'; holder: LockHolder; path: string; groups: LeftRunning };

/**
 * Taking over a dead holder's lock is refused while its run's step processes still run (a watchdog
 * that was killed too, processes that survived it): the old holder is written back, so every later
 * attempt checks again until they are gone.
 */
async function checkTakeOver(o: RunLockOptions, attempt: LockAttempt): Promise<RunLockAttempt> {
  if (attempt.kind !== 'acquired' || attempt.tookOver === undefined) return attempt;
  const old = attempt.tookOver;
  const groups = survivors(join(runDirFor(o.home, old.runId), REGISTRY_FILE));
  if (groups.length === 0) return attempt;
  const tmp = `${attempt.lock.path}.restore.${process.pid}`;
  await writeFile(tmp, JSON.stringify(old));
  await rename(tmp, attempt.lock.path);
  return { kind: 'left-running', holder: old, path: attempt.lock.path, groups };
}

/** The overlap lock of a run: acquired, or held by someone (after waiting up to `waitMs`). */
export async function acquireRunLock(o: RunLockOptions): Promise<RunLockAttempt> {
  const now = o.now ?? Date.now;
  const me: LockHolder = { ...currentProcess(), startedAt: now(), runId: o.runId, file: o.realFile };
  const key = lockKey(o.realFile, o.vars);
  const path = lockPath(o.home, key);
  const { leases } = o;
  const leaseOptions = {
    leaseMs: o.leaseMs ?? DEFAULT_LEASE_MS,
    onWarning: o.onWarning ?? (() => undefined),
  };
  // A lease has no step processes of this box to look for: its holder may be on another box.
  const attemptOnce = async (): Promise<RunLockAttempt> =>
    leases ? leases.tryLease(key, me, leaseOptions) : checkTakeOver(o, await tryLock(path, me));
  const deadline = now() + (o.waitMs ?? 0);
  for (let waiting = false; ; waiting = true) {
    const attempt = await attemptOnce();
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

/** `long (process group 4242: pids 4242 4250)`, one per group, `; `-separated. */
export function describeLeftRunning(groups: LeftRunning): string {
  return groups
    .map(
      (g) =>
        `${g.label || 'a step'} (process group ${g.pgid}: pid${g.pids.length > 1 ? 's' : ''} ${g.pids.join(' ')})`,
    )
    .join('; ');
}

/** `pid 4242 on web1 since 2026-11-22T03:15:00.000Z (run 20261122T031500Z-3f9a1c)`. */
export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${new Date(h.startedAt).toISOString()} (run ${h.runId})`;
}
