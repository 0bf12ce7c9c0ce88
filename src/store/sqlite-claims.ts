import { CheckedRecord } from '../model/checked.js';
import type { Database } from 'better-sqlite3';
import {
  KEEP_PAST_SLOTS,
  type ClaimOutcome,
  type SlotClaims,
  type SlotHolder,
  type SlotKey,
} from './slot-claims.js';

const KEY = 'file = @file AND vars_hash = @varsHash AND period_ms = @periodMs';

/**
 * Slot claims in the SQLite history of one box: the check for a later slot, the insert and the read
 * of the holder run in one IMMEDIATE transaction, so two processes of this box never both claim.
 */
export function sqliteSlotClaims(db: Database): SlotClaims {
  const newest = db.prepare(`SELECT MAX(slot) AS n FROM slot_claims WHERE ${KEY}`);
  const insert = db.prepare(
    `INSERT INTO slot_claims (file, vars_hash, period_ms, slot, host, pid, claimed_at)
     VALUES (@file, @varsHash, @periodMs, @slot, @host, @pid, @now) ON CONFLICT DO NOTHING`,
  );
  const holder = db.prepare(
    `SELECT host, pid, claimed_at, run_id FROM slot_claims WHERE ${KEY} AND slot = @slot`,
  );
  const prune = db.prepare(`DELETE FROM slot_claims WHERE ${KEY} AND slot < @oldest`);
  const setRun = db.prepare(`UPDATE slot_claims SET run_id = @runId WHERE ${KEY} AND slot = @slot`);
  const claim = db.transaction(
    (key: SlotKey, me: { host: string; pid: number }, now: number): ClaimOutcome => {
      const n = (newest.get(key) as { n: number | null }).n;
      if (n !== null && n > key.slot) return { kind: 'behind', newest: n };
      if (insert.run({ ...key, ...me, now }).changes === 1) {
        prune.run({ ...key, oldest: key.slot - KEEP_PAST_SLOTS });
        return { kind: 'claimed' };
      }
      return {
        kind: 'taken',
        holder: holderFromRow(holder.get(key) as Record<string, unknown>, 'slot_claims'),
      };
    },
  );
  return {
    claim: (key, me, now) => Promise.resolve(claim.immediate(key, me, now)),
    recordRun: (key, runId) => {
      setRun.run({ ...key, runId });
      return Promise.resolve();
    },
  };
}

/** A claim row read back, each field checked (SQLite and PostgreSQL rows alike: BIGINTs arrive as numbers). */
export function holderFromRow(row: Readonly<Record<string, unknown>>, where: string): SlotHolder {
  const r = new CheckedRecord(row, where);
  return {
    host: r.string('host'),
    pid: r.integer('pid'),
    claimedAt: r.integer('claimed_at'),
    runId: r.stringOrNull('run_id'),
  };
}
