import type { Pool } from 'pg';
import { holderFromRow } from '../sqlite-claims.js';
import { KEEP_PAST_SLOTS, type ClaimOutcome, type SlotClaims, type SlotKey } from '../slot-claims.js';

const KEY = 'file = $1 AND vars_hash = $2 AND period_ms = $3';

/**
 * Slot claims in PostgreSQL, shared by every box. The claim is one INSERT … ON CONFLICT DO NOTHING
 * on the slot's primary key, guarded by NOT EXISTS for a later slot: of any number of boxes racing,
 * exactly one row is inserted, whatever the isolation level, and a claim is never overwritten.
 */
export function pgSlotClaims(pool: Pool): SlotClaims {
  return {
    async claim(key, me, now): Promise<ClaimOutcome> {
      const k = [key.file, key.varsHash, key.periodMs, key.slot];
      const inserted = await pool.query(
        `INSERT INTO slot_claims (file, vars_hash, period_ms, slot, host, pid, claimed_at)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE NOT EXISTS (SELECT 1 FROM slot_claims WHERE ${KEY} AND slot > $4)
         ON CONFLICT DO NOTHING`,
        [...k, me.host, me.pid, now],
      );
      if (inserted.rowCount === 1) {
        await pool.query(`DELETE FROM slot_claims WHERE ${KEY} AND slot < $4`, [
          ...k.slice(0, 3),
          key.slot - KEEP_PAST_SLOTS,
        ]);
        return { kind: 'claimed' };
      }
      const { rows } = await pool.query<Record<string, unknown>>(
        `SELECT host, pid, claimed_at, run_id FROM slot_claims WHERE ${KEY} AND slot = $4`,
        k,
      );
      const row = rows[0];
      if (row) return { kind: 'taken', holder: holderFromRow(row, 'PostgreSQL slot_claims') };
      return { kind: 'behind', newest: await newestSlot(pool, key) };
    },
    async recordRun(key: SlotKey, runId: string): Promise<void> {
      await pool.query(`UPDATE slot_claims SET run_id = $5 WHERE ${KEY} AND slot = $4`, [
        key.file,
        key.varsHash,
        key.periodMs,
        key.slot,
        runId,
      ]);
    },
  };
}

async function newestSlot(pool: Pool, key: SlotKey): Promise<number> {
  const { rows } = await pool.query<{ n: number | null }>(
    `SELECT MAX(slot) AS n FROM slot_claims WHERE ${KEY}`,
    [key.file, key.varsHash, key.periodMs],
  );
  return rows[0]?.n ?? key.slot;
}
