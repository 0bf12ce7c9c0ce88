import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { connectPg } from '../../src/store/pg/connect.js';
import { migratePg, PG_MIGRATIONS, type PgMigration } from '../../src/store/pg/migrations.js';
import { describedShape } from '../helpers/described-shape.js';
import { pgBinDir, pgClusterForFile, pgTarget as target } from '../helpers/pg-cluster.js';
import { PG_RELEASED } from '../helpers/released-schema.js';
import { pgShape } from '../helpers/schema-shape.js';

/** PostgreSQL's half of the one table description (src/store/tables.ts); SQLite's: test/unit/store/schema-tables.test.ts. */
const { reason, pg } = pgClusterForFile('PostgreSQL schema tests');

/** A new database migrated with `migrations`; the pool is for the caller to end. */
async function databaseWith(migrations: readonly PgMigration[]): Promise<{ url: string; pool: Pool }> {
  const url = pg.createDatabase();
  const pool = await connectPg(target(url));
  await migratePg(pool, target(url), migrations);
  return { url, pool };
}

/** The schema as pg_dump writes it from the catalog: equal dumps are the same tables, defaults, triggers, functions. */
function dump(url: string): string {
  const out = execFileSync(
    join(pgBinDir()!, 'pg_dump'),
    ['--schema-only', '--no-owner', '--schema=tasker', url],
    {
      encoding: 'utf8',
    },
  );
  // \restrict lines carry a random key per dump (pg_dump 15.14 and later).
  return out.replace(/^(--|\\(un)?restrict ).*$/gm, '').replace(/\n{2,}/g, '\n');
}

async function fill(pool: Pool, version: number): Promise<void> {
  if (version < 1) return;
  await pool.query(
    `INSERT INTO runs (id, workflow, file, file_hash, vars_hash, status, pid, host, started_at, run_dir)
     VALUES ('r1', 'wf', '/srv/wf.yaml', 'f1', 'v1', 'failed', 1, 'here', 1000, '/x')`,
  );
  await pool.query(
    `INSERT INTO step_instances (run_id, step_id, kind, name, status, started_at) VALUES ('r1', 'a', 'command', 'a', 'ok', 1000)`,
  );
  await pool.query(
    `INSERT INTO step_output (step_seq, stream, part, data) VALUES (1, 'stdout', 0, '\\x6869')`,
  );
  if (version >= 2)
    await pool.query(
      `INSERT INTO slot_claims (file, vars_hash, period_ms, slot, host, pid, claimed_at) VALUES ('/srv/wf.yaml', 'v1', 60000, 7, 'here', 1, 1000)`,
    );
}

async function counts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT (SELECT COUNT(*)::int FROM runs) AS runs, (SELECT COUNT(*)::int FROM step_instances) AS steps,
            (SELECT COUNT(*)::int FROM step_output) AS output, (SELECT COUNT(*)::int FROM slot_claims) AS claims,
            (SELECT mark::int FROM history_mark) AS mark`,
  );
  return rows[0]!;
}

describe.skipIf(reason !== undefined)(
  'PostgreSQL: one table description (store/tables.ts) is the schema',
  () => {
    it('a fresh database after all migrations has exactly the described tables, column by column', async () => {
      const { url, pool } = await databaseWith(PG_MIGRATIONS);
      await pool.end();
      const got = await pgShape(url);
      const want = describedShape('pg');
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [name, table] of Object.entries(want)) expect(got[name], name).toEqual(table);
    });

    it('every released entry keeps its name, and builds the same schema (pg_dump) as the released SQL did', async () => {
      expect(PG_MIGRATIONS.slice(0, PG_RELEASED.length).map((m) => m.name)).toEqual(
        PG_RELEASED.map((m) => m.name),
      );
      for (let version = 1; version <= PG_RELEASED.length; version++) {
        const released = await databaseWith(PG_RELEASED.slice(0, version));
        const today = await databaseWith(PG_MIGRATIONS.slice(0, version));
        await Promise.all([released.pool.end(), today.pool.end()]);
        expect(dump(today.url), `version ${version}`).toBe(dump(released.url));
      }
    });

    it('a database made by the released SQL at every version upgrades to the described schema and keeps its rows', async () => {
      const fresh = await databaseWith(PG_MIGRATIONS);
      await fresh.pool.end();
      for (let version = 0; version <= PG_RELEASED.length; version++) {
        const { url, pool } = await databaseWith(PG_RELEASED.slice(0, version));
        try {
          await fill(pool, version);
          expect(await migratePg(pool, target(url))).toBe(PG_MIGRATIONS.length);
          // The trigger the first entry made still counts writes: 2 statements on runs and steps.
          const want = { runs: 1, steps: 1, output: 1, claims: version >= 2 ? 1 : 0, mark: 2 };
          if (version > 0) expect(await counts(pool), `version ${version}`).toEqual(want);
          const { rows } = await pool.query<{ name: string }>(
            'SELECT name FROM schema_version ORDER BY version',
          );
          expect(rows.map((r) => r.name)).toEqual(PG_MIGRATIONS.map((m) => m.name));
        } finally {
          await pool.end();
        }
        expect(dump(url), `version ${version}`).toBe(dump(fresh.url));
        expect(await pgShape(url)).toEqual(describedShape('pg'));
      }
    });
  },
);
