import type { Pool } from 'pg';
import { CheckedRecord } from '../../model/checked.js';
import type { HeldLock, LockHolder } from '../lock.js';
import type { LeaseAttempt, LeaseOptions, RunLeases } from '../leases.js';

const EXPIRY = `clock_timestamp() + $2 * interval '1 millisecond'`;

/** The leases of a PostgreSQL store. */
export function pgRunLeases(pool: Pool): RunLeases {
  return { tryLease: (key, me, o) => tryLease(pool, key, me, o) };
}

/**
 * The overlap lock as a lease in PostgreSQL: taken when free or expired (the expiry read on the
 * server's clock), then renewed by a heartbeat while the run lives. A takeover replaces the row only
 * if it still names the expired holder it read, so of several boxes taking over at once one wins.
 */
export async function tryLease(
  pool: Pool,
  key: string,
  me: LockHolder,
  o: LeaseOptions,
): Promise<LeaseAttempt> {
  const path = `PostgreSQL lease ${key}`;
  for (let round = 0; round < 20; round++) {
    const inserted = await pool.query(
      `INSERT INTO run_leases (lock_key, expires_at, file, run_id, host, pid, pid_start, started_at)
       VALUES ($1, ${EXPIRY}, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [key, o.leaseMs, ...holderParams(me)],
    );
    if (inserted.rowCount === 1) return { kind: 'acquired', lock: heldLease(pool, key, me, o) };
    const { rows } = await pool.query<Record<string, unknown>>(
      `SELECT *, expires_at < clock_timestamp() AS expired FROM run_leases WHERE lock_key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row) continue;
    const holder = holderOf(row);
    if (row.expired !== true) return { kind: 'held', holder, path };
    const taken = await pool.query(
      `UPDATE run_leases SET expires_at = ${EXPIRY}, file = $3, run_id = $4, host = $5, pid = $6, pid_start = $7,
       started_at = $8 WHERE lock_key = $1 AND run_id = $9 AND expires_at < clock_timestamp()`,
      [key, o.leaseMs, ...holderParams(me), holder.runId],
    );
    if (taken.rowCount === 1)
      return { kind: 'acquired', lock: heldLease(pool, key, me, o), tookOver: holder };
  }
  throw new Error(`${path}: the lease keeps changing hands; retry, or pass --no-lock`);
}

function holderParams(me: LockHolder): unknown[] {
  return [me.file ?? '', me.runId, me.host, me.pid, me.pidStart ?? null, me.startedAt];
}

function holderOf(row: Record<string, unknown>): LockHolder {
  const r = new CheckedRecord(row, 'PostgreSQL run_leases');
  const pidStart = r.stringOrNull('pid_start');
  return {
    pid: r.integer('pid'),
    host: r.string('host'),
    startedAt: r.integer('started_at'),
    runId: r.string('run_id'),
    file: r.string('file'),
    ...(pidStart ? { pidStart } : {}),
  };
}

/** The lease while held: a heartbeat renews it; release deletes it if it is still ours. */
function heldLease(pool: Pool, key: string, me: LockHolder, o: LeaseOptions): HeldLock {
  let released = false;
  let renewFailed = false;
  let lost = false;
  const renew = async (): Promise<void> => {
    try {
      const r = await pool.query(
        `UPDATE run_leases SET expires_at = ${EXPIRY} WHERE lock_key = $1 AND run_id = $3`,
        [key, o.leaseMs, me.runId],
      );
      renewFailed = false;
      if (r.rowCount === 0 && !released && !lost) {
        lost = true;
        o.onWarning(
          `the lock lease of run ${me.runId} was lost (not renewed within ${o.leaseMs} ms, so another run may have taken it); this run goes on`,
        );
      }
    } catch (err) {
      if (renewFailed || released) return;
      renewFailed = true;
      o.onWarning(
        `could not renew the lock lease of run ${me.runId}: ${err instanceof Error ? err.message : String(err)}; retrying (it expires after ${o.leaseMs} ms without renewal)`,
      );
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(o.leaseMs / 3)));
  timer.unref();
  return {
    path: `PostgreSQL lease ${key}`,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await pool
        .query('DELETE FROM run_leases WHERE lock_key = $1 AND run_id = $2', [key, me.runId])
        .catch((err: unknown) =>
          o.onWarning(
            `could not release the lock lease of run ${me.runId} (${err instanceof Error ? err.message : String(err)}); it expires within ${o.leaseMs} ms`,
          ),
        );
    },
    // On a process exit no query can finish: the heartbeat stops and the lease expires on its own.
    releaseSync() {
      released = true;
      clearInterval(timer);
    },
  };
}
