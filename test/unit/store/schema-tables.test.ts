import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { renderDdl } from '../../../src/store/ddl.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/schema.js';
import { col } from '../../../src/store/table-types.js';
import { ATTEMPT_COLUMNS, column, STEP_COLUMNS } from '../../../src/store/step-row.js';
import { columnNames, TABLES } from '../../../src/store/tables.js';
import { describedShape } from '../../helpers/described-shape.js';
import { SQLITE_RELEASED } from '../../helpers/released-schema.js';
import { sqliteDdl, sqliteShape } from '../../helpers/schema-shape.js';
import { tempHome } from './helpers.js';

/** A file built by `entries` run as they are, at user_version = their count. */
function fileWith(entries: readonly string[]): Database.Database {
  const db = new Database(join(tempHome(), 'history.db'));
  for (const sql of entries) db.exec(sql);
  db.pragma(`user_version = ${entries.length}`);
  return db;
}

/** Rows a file at `version` can hold, so an upgrade shows it keeps them. */
function fill(db: Database.Database, version: number): void {
  if (version < 1) return;
  db.prepare(
    `INSERT INTO runs (id, workflow, file, file_hash, vars_hash, status, pid, host, started_at, run_dir)
     VALUES ('r1', 'wf', '/srv/wf.yaml', 'f1', 'v1', 'failed', 1, 'here', 1000, '/x')`,
  ).run();
  db.prepare(
    `INSERT INTO step_instances (run_id, step_id, kind, name, status, started_at, note, iterations)
     VALUES ('r1', 'a', 'command', 'a', 'ok', 1000, 'reused from run r0', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO attempts (step_seq, ord, attempt, iteration, status, started_at, ended_at, duration_ms)
     VALUES (1, 0, 1, 0, 'ok', 1000, 1500, 500)`,
  ).run();
  if (version >= 3)
    db.prepare(
      `INSERT INTO slot_claims (file, vars_hash, period_ms, slot, host, pid, claimed_at) VALUES ('/srv/wf.yaml', 'v1', 60000, 7, 'here', 1, 1000)`,
    ).run();
}

const count = (db: Database.Database, table: string): unknown =>
  db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).pluck().get();

describe('SQLite: one table description (store/tables.ts) is the schema', () => {
  it('a fresh file after all migrations has exactly the described tables, column by column', () => {
    const db = fileWith([]);
    migrate(db, 'fresh');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const got = sqliteShape(db);
    const want = describedShape('sqlite');
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, table] of Object.entries(want)) expect(got[name], name).toEqual(table);
  });

  it.each(SQLITE_RELEASED.map((_, i) => i + 1))(
    'released version %i: today’s entries build the same schema as the released SQL did',
    (version) => {
      const released = fileWith(SQLITE_RELEASED.slice(0, version));
      const today = fileWith(MIGRATIONS.slice(0, version));
      expect(sqliteShape(today)).toEqual(sqliteShape(released));
      expect(sqliteDdl(today)).toEqual(sqliteDdl(released));
    },
  );

  it.each([0, ...SQLITE_RELEASED.map((_, i) => i + 1)])(
    'a file made by the released SQL at version %i upgrades to the described schema and keeps its rows',
    (version) => {
      const db = fileWith(SQLITE_RELEASED.slice(0, version));
      fill(db, version);
      migrate(db, 'old');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(sqliteShape(db)).toEqual(describedShape('sqlite'));
      const fresh = fileWith([]);
      migrate(fresh, 'fresh');
      expect(sqliteDdl(db)).toEqual(sqliteDdl(fresh));
      if (version === 0) return;
      expect([count(db, 'runs'), count(db, 'step_instances'), count(db, 'attempts')]).toEqual([1, 1, 1]);
      expect(count(db, 'slot_claims')).toBe(version >= 3 ? 1 : 0);
      // Version 2 moved the reuse note into its column: only a file older than that gets it moved.
      const step = db.prepare('SELECT reused_from, stderr_tail, changed FROM step_instances').get();
      expect(step).toEqual({ reused_from: version < 2 ? 'r0' : null, stderr_tail: '[]', changed: null });
    },
  );

  it('the list and last-run queries use the runs indexes the description gives', () => {
    const db = fileWith([]);
    migrate(db, 'fresh');
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(
      plan('SELECT id FROM runs WHERE started_at < 5 ORDER BY started_at DESC, id DESC LIMIT 10'),
    ).toMatch(/USING (COVERING )?INDEX runs_by_start/);
    expect(
      plan('SELECT * FROM runs WHERE file = 1 AND vars_hash = 2 ORDER BY started_at DESC, id DESC LIMIT 1'),
    ).toMatch(/USING (COVERING )?INDEX runs_by_file \(file=\? AND vars_hash=\?\)/);
    // Released version 1's indexes sorted every list page in a temp B-tree, and read all runs of a file for its last run.
    expect(plan('SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT 10')).not.toMatch(/TEMP B-TREE/);
  });
});

describe('the rows the store writes', () => {
  it('an ended step and an attempt write every described column but their keys, and no other', () => {
    const sorted = (names: readonly string[]): string[] => [...names].sort();
    expect(sorted(STEP_COLUMNS.map(column))).toEqual(
      sorted(columnNames('step_instances', ['seq', 'run_id'])),
    );
    expect(sorted(ATTEMPT_COLUMNS.map(column))).toEqual(sorted(columnNames('attempts', ['step_seq', 'ord'])));
  });
});

describe('the DDL renderer', () => {
  it('every migration version of each database renders something, none beyond the last', () => {
    expect(MIGRATIONS.every((sql) => sql.trim().length > 0)).toBe(true);
    expect(renderDdl('sqlite', SCHEMA_VERSION + 1)).toBe('');
    for (const v of [1, 2]) expect(renderDdl('pg', v)).not.toBe('');
  });

  it('refuses a column older than its table, and a type a database has no form for', () => {
    const table = TABLES[0]!;
    const early = { ...table, columns: [...table.columns, col('x', 'text', { since: { sqlite: 0 } })] };
    expect(() => renderDdl('sqlite', 1, [early])).toThrow('runs.x: added (sqlite) before its table');
    const bytes = { ...table, columns: [col('blob', 'bytes')] };
    expect(() => renderDdl('sqlite', 1, [bytes])).toThrow('runs.blob: type bytes has no sqlite form');
  });

  it('quotes a text default as SQL', () => {
    const t = {
      name: 't',
      since: { sqlite: 1 },
      columns: [col('s', 'text', { default: "it's" })],
      indexes: [],
    };
    expect(renderDdl('sqlite', 1, [t])).toContain(`s TEXT NOT NULL DEFAULT 'it''s'`);
  });
});
