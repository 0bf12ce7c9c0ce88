import { describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { claimSlot } from '../../src/api/once-per.js';
import { connectPg } from '../../src/store/pg/connect.js';
import { migratePg } from '../../src/store/pg/migrations.js';
import { pgSlotClaims } from '../../src/store/pg/claims.js';
import { tryLease } from '../../src/store/pg/lease.js';
import { storeLocation } from '../../src/store/location.js';
import type { LockHolder } from '../../src/store/index.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';

const { reason, pg } = pgClusterForFile('PostgreSQL tests');

async function migrated(url: string, max = 4): Promise<Pool> {
  const spec = storeLocation(url, '/nonexistent');
  if (spec.kind !== 'ok' || spec.location.kind !== 'postgres') throw new Error(url);
  const pool = await connectPg(spec.location, { max });
  await migratePg(pool, spec.location);
  return pool;
}

const wf = { realFile: '/srv/wf.yaml', fileHash: 'f', varsHash: 'v' };
const P = 60_000;
const holder = (runId: string, host = 'box-a'): LockHolder => ({
  pid: 4242,
  host,
  startedAt: 1_000,
  runId,
  file: '/srv/wf.yaml',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(reason !== undefined)('coordination in PostgreSQL (real throwaway cluster)', () => {
  it('ten boxes (one pool each) racing for one slot, twenty slots in a row: exactly one claims each', async () => {
    const url = pg.createDatabase();
    const pools = await Promise.all(Array.from({ length: 10 }, () => migrated(url, 1)));
    try {
      for (let k = 1_000; k < 1_020; k++) {
        const got = await Promise.all(
          pools.map((p, i) =>
            claimSlot(
              pgSlotClaims(p),
              wf,
              { host: `box-${i}`, pid: i },
              { periodMs: P, now: () => k * P + i * 400 - 2_000 },
            ),
          ),
        );
        expect(got.filter((g) => g.kind === 'claimed')).toHaveLength(1);
        expect(got.filter((g) => g.kind === 'skip' && !g.loud)).toHaveLength(9);
      }
      const { rows } = await pools[0]!.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM slot_claims');
      expect(rows[0]!.n).toBe(3);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a claim names its run once recorded; a box behind a later claimed slot is told so', async () => {
    const pool = await migrated(pg.createDatabase());
    try {
      const claims = pgSlotClaims(pool);
      const first = await claimSlot(claims, wf, { host: 'a', pid: 1 }, { periodMs: P, now: () => 5 * P });
      if (first.kind !== 'claimed') throw new Error('not claimed');
      await claims.recordRun(first.key, 'run-a');
      const second = await claimSlot(
        claims,
        wf,
        { host: 'b', pid: 2 },
        { periodMs: P, now: () => 5 * P + 9 },
      );
      expect(second.kind === 'skip' && second.message).toContain(
        'pid 1 on a claimed it at 1970-01-01T00:05:00.000Z (run run-a)',
      );
      const behind = await claimSlot(claims, wf, { host: 'c', pid: 3 }, { periodMs: P, now: () => 4 * P });
      expect(behind).toMatchObject({ kind: 'skip', loud: true });
    } finally {
      await pool.end();
    }
  });

  it('a lease is held against every other box until its holder stops renewing, then one taker gets it', async () => {
    const pool = await migrated(pg.createDatabase(), 12);
    const warnings: string[] = [];
    const o = { leaseMs: 600, onWarning: (m: string) => warnings.push(m) };
    try {
      const a = await tryLease(pool, 'k1', holder('run-a'), o);
      if (a.kind !== 'acquired') throw new Error('not acquired');
      // Renewed by its heartbeat: still held well past one lease time.
      await sleep(1_500);
      const b = await tryLease(pool, 'k1', holder('run-b', 'box-b'), o);
      expect(b).toMatchObject({ kind: 'held', holder: { host: 'box-a', pid: 4242, runId: 'run-a' } });
      // The holder dies (no more renewals, nothing deleted): after the lease time, exactly one of ten takes it.
      a.lock.releaseSync();
      await sleep(800);
      const takers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => tryLease(pool, 'k1', holder(`run-${i}`, `box-${i}`), o)),
      );
      const won = takers.filter((t) => t.kind === 'acquired');
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ tookOver: { runId: 'run-a' } });
      for (const t of takers) if (t.kind === 'acquired') await t.lock.release();
      const free = await tryLease(pool, 'k1', holder('run-z'), o);
      expect(free.kind === 'acquired' && free.tookOver).toBeFalsy();
      if (free.kind === 'acquired') await free.lock.release();
      expect(warnings).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('a holder whose lease was taken while it could not renew is told so', async () => {
    const pool = await migrated(pg.createDatabase());
    const warnings: string[] = [];
    try {
      const a = await tryLease(pool, 'k2', holder('run-a'), {
        leaseMs: 900,
        onWarning: (m) => warnings.push(m),
      });
      if (a.kind !== 'acquired') throw new Error('not acquired');
      // As if its renewals had not reached the server for longer than the lease.
      await pool.query(`UPDATE run_leases SET expires_at = clock_timestamp() - interval '1 second'`);
      const b = await tryLease(pool, 'k2', holder('run-b', 'box-b'), {
        leaseMs: 60_000,
        onWarning: () => undefined,
      });
      expect(b.kind).toBe('acquired');
      await sleep(700);
      expect(warnings).toEqual([expect.stringContaining('the lock lease of run run-a was lost')]);
      // Releasing the lost lease leaves the new holder's alone.
      await a.lock.release();
      const c = await tryLease(pool, 'k2', holder('run-c'), { leaseMs: 60_000, onWarning: () => undefined });
      expect(c).toMatchObject({ kind: 'held', holder: { runId: 'run-b' } });
      if (b.kind === 'acquired') await b.lock.release();
    } finally {
      await pool.end();
    }
  });
});
