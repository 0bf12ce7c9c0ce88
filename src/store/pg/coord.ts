import type { Pool } from 'pg';
import type { RunLeases } from '../leases.js';
import type { SlotClaims } from '../slot-claims.js';
import { pgSlotClaims } from './claims.js';
import { pgFault, type PgTarget } from './connect.js';
import { pgRunLeases } from './lease.js';

/** A failure of the database while claiming or locking: one line naming the server and the fix (a StateFault). */
function faulted<A extends unknown[], R>(
  target: PgTarget,
  fn: (...a: A) => Promise<R>,
): (...a: A) => Promise<R> {
  return async (...a) => {
    try {
      return await fn(...a);
    } catch (err) {
      throw pgFault(err, target, 'write');
    }
  };
}

/** `--once-per` claims of a PostgreSQL store, shared by every box that names it. */
export function pgStoreClaims(pool: Pool, target: PgTarget): SlotClaims {
  const claims = pgSlotClaims(pool);
  return {
    claim: faulted(target, (key, me, now) => claims.claim(key, me, now)),
    recordRun: faulted(target, (key, runId) => claims.recordRun(key, runId)),
  };
}

/** The overlap locks of a PostgreSQL store, as leases. */
export function pgStoreLeases(pool: Pool, target: PgTarget): RunLeases {
  const leases = pgRunLeases(pool);
  return { tryLease: faulted(target, (key, me, o) => leases.tryLease(key, me, o)) };
}
