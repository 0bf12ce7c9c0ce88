import type { Pool } from 'pg';
import { StateFault } from '../faults.js';
import { pgFault, PG_SCHEMA, type PgTarget } from './connect.js';
import { renderDdl } from '../ddl.js';

/** One schema step: a `since` version in store/tables.ts and one entry appended here; released entries are never edited. */
export interface PgMigration {
  name: string;
  sql: string;
}

/**
 * `history_mark` starts at 0 and every write statement on runs and steps bumps it: what `tasker
 * serve` polls to see changes from any box.
 */
const HISTORY_MARK_TRIGGERS = `
INSERT INTO history_mark (mark) VALUES (0);
CREATE FUNCTION bump_history_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${PG_SCHEMA}.history_mark SET mark = mark + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER runs_mark AFTER INSERT OR UPDATE OR DELETE ON runs
  FOR EACH STATEMENT EXECUTE FUNCTION bump_history_mark();
CREATE TRIGGER steps_mark AFTER INSERT OR UPDATE OR DELETE ON step_instances
  FOR EACH STATEMENT EXECUTE FUNCTION bump_history_mark();
`;

/** The tables come from the description both databases share (store/tables.ts, rendered by store/ddl.ts). */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    name: 'history: runs, steps, attempts, step output, change mark',
    sql: `${renderDdl('pg', 1)}\n${HISTORY_MARK_TRIGGERS}`,
  },
  { name: 'coordination: --once-per slot claims, overlap lock leases', sql: renderDdl('pg', 2) },
];

/** Any 64-bit constant: the advisory lock every tasker process takes to migrate (`tasker` in ASCII). */
const MIGRATION_LOCK = 0x7461736b6572n;

/**
 * Brings the database up to the last migration. The whole check-and-upgrade runs in one
 * transaction under `pg_advisory_xact_lock`: of several processes starting at once, one migrates and
 * the others wait, then see its versions in `schema_version`. A database from a newer tasker is refused.
 */
export async function migratePg(
  pool: Pool,
  target: PgTarget,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number> {
  const client = await pool.connect().catch((err: unknown) => {
    throw pgFault(err, target, 'reach');
  });
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${PG_SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${PG_SCHEMA}.schema_version (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ v: number }>(
      `SELECT COALESCE(MAX(version), 0)::int AS v FROM ${PG_SCHEMA}.schema_version`,
    );
    const current = rows[0]?.v ?? 0;
    if (current > migrations.length)
      throw new StateFault(
        `the PostgreSQL history at ${target.hostPort} (${target.label}) has schema version ${current}, newer than this tasker understands (${migrations.length}); upgrade tasker on this box`,
        target.label,
        'SCHEMA_NEWER',
      );
    for (let v = current; v < migrations.length; v++) {
      const m = migrations[v]!;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${PG_SCHEMA}.schema_version (version, name) VALUES ($1, $2)`, [
        v + 1,
        m.name,
      ]);
    }
    await client.query('COMMIT');
    return migrations.length;
  } catch (err) {
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw pgFault(err, target, 'migrate');
  } finally {
    client.release(broken);
  }
}
