import type { HeldLock, LockHolder } from './lock.js';

/** How long a holder keeps a store lock without renewing it (TASKER_LOCK_LEASE); renewed every third of it. */
export const DEFAULT_LEASE_MS = 60_000;

export type LeaseAttempt =
  | { kind: 'acquired'; lock: HeldLock; tookOver?: LockHolder }
  | { kind: 'held'; holder: LockHolder; path: string };

export interface LeaseOptions {
  leaseMs: number;
  /** Said once when a renewal fails (the database unreachable) and once when the lease was lost. */
  onWarning: (message: string) => void;
}

/** Overlap locks kept in a store several boxes share (PostgreSQL), as leases a dead holder loses. */
export interface RunLeases {
  /** Takes the lock `key` for `me`, or names its holder; a lease whose holder stopped renewing is taken over. */
  tryLease(key: string, me: LockHolder, o: LeaseOptions): Promise<LeaseAttempt>;
}
