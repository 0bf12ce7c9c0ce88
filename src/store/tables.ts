import { col, index, type Table } from './table-types.js';

/*
 * The history's tables, once, for both databases: SQLite's migrations (schema.ts) and PostgreSQL's
 * (pg/migrations.ts) render their DDL from this, version by version (ddl.ts), and a drift test
 * compares a fresh database of each, after all migrations, with it column by column. Changing a
 * table is adding a column or index here with the new version in `since`, and appending the
 * migration entry that renders it; released versions are never edited (ARCHITECTURE.md).
 *
 * Run ids compare bytewise in both, so id prefixes and keyset pages mean the same. Times are epoch
 * ms. `changed` is 0/1. `stderr_tail` and `plan` are JSON text.
 */

const runs: Table = {
  name: 'runs',
  since: { sqlite: 1, pg: 1 },
  columns: [
    col('id', 'text', { primaryKey: true, collate: 'binary' }),
    col('workflow', 'text'),
    col('file', 'text'),
    col('file_hash', 'text'),
    col('vars_hash', 'text'),
    col('status', 'text'),
    col('exit_code', 'int?'),
    col('pid', 'int'),
    col('pid_start', 'text?'),
    col('host', 'text'),
    col('started_at', 'epoch-ms'),
    col('ended_at', 'epoch-ms?'),
    col('duration_ms', 'int64?'),
    col('run_dir', 'text'),
    col('failed_step', 'text?'),
    col('error', 'text?'),
    col('resumed_from', 'text?'),
    col('alert', 'text?'),
    // The plan's outline (model/plan-outline.ts) that `tasker serve` draws; null for older runs.
    col('plan', 'text?', { since: { sqlite: 4 } }),
  ],
  indexes: [
    // Lists and keyset pages (ORDER BY started_at DESC, id DESC), and a workflow's last run.
    index('runs_by_start', ['started_at DESC', 'id DESC'], { sqlite: 5, pg: 1 }),
    index('runs_by_file', ['file', 'vars_hash', 'started_at DESC'], { sqlite: 5, pg: 1 }),
    index('runs_by_status', ['status', 'started_at DESC'], { sqlite: 1, pg: 1 }),
  ],
};

const stepInstances: Table = {
  name: 'step_instances',
  since: { sqlite: 1, pg: 1 },
  columns: [
    col('seq', 'serial', { primaryKey: true }),
    col('run_id', 'text', {
      collate: 'binary',
      references: { table: 'runs', column: 'id', onDelete: 'cascade' },
    }),
    col('step_id', 'text'),
    col('host', 'text?'),
    col('kind', 'text'),
    col('name', 'text'),
    col('status', 'text'),
    col('exit_code', 'int?'),
    col('signal', 'text?'),
    col('started_at', 'epoch-ms'),
    col('ended_at', 'epoch-ms?'),
    col('duration_ms', 'int64?'),
    col('command', 'text?'),
    col('stdout_file', 'text?'),
    col('stderr_file', 'text?'),
    col('skip_reason', 'text?'),
    col('error_code', 'text?'),
    col('error_message', 'text?'),
    col('note', 'text?'),
    col('iterations', 'int', { default: 0 }),
    col('reused_from', 'text?', { since: { sqlite: 2 } }),
    col('changed', 'bool01?', { since: { sqlite: 2 } }),
    col('stderr_tail', 'text', { default: '[]', since: { sqlite: 2 } }),
  ],
  indexes: [index('steps_by_run', ['run_id', 'seq'], { sqlite: 1, pg: 1 })],
};

const stepSeq = { table: 'step_instances', column: 'seq', onDelete: 'cascade' } as const;

const attempts: Table = {
  name: 'attempts',
  since: { sqlite: 1, pg: 1 },
  columns: [
    col('step_seq', 'int64', { references: stepSeq }),
    col('ord', 'int'),
    col('attempt', 'int'),
    col('iteration', 'int'),
    col('status', 'text'),
    col('exit_code', 'int?'),
    col('signal', 'text?'),
    col('started_at', 'epoch-ms'),
    col('ended_at', 'epoch-ms'),
    col('duration_ms', 'int64'),
    col('stdout_file', 'text?'),
    col('stderr_file', 'text?'),
    col('error_code', 'text?'),
    col('error_message', 'text?'),
  ],
  primaryKey: ['step_seq', 'ord'],
  indexes: [],
};

/** PostgreSQL keeps each step's output (head and tail past a cap, pg/output.ts): other boxes read it there. */
const stepOutput: Table = {
  name: 'step_output',
  since: { pg: 1 },
  columns: [
    col('step_seq', 'int64', { references: stepSeq }),
    col('stream', 'text', { check: `stream IN ('stdout', 'stderr')` }),
    col('part', 'int'),
    col('omitted_before', 'int64', { default: 0 }),
    col('data', 'bytes'),
  ],
  primaryKey: ['step_seq', 'stream', 'part'],
  indexes: [],
};

/** One row, bumped by every write statement on runs and steps (a trigger): what `tasker serve` polls. */
const historyMark: Table = {
  name: 'history_mark',
  since: { pg: 1 },
  columns: [col('one', 'bool', { primaryKey: true, default: true, check: 'one' }), col('mark', 'int64')],
  indexes: [],
};

/** `run --once-per`: who claimed which schedule slot of a workflow (file + vars hash + period). */
const slotClaims: Table = {
  name: 'slot_claims',
  since: { sqlite: 3, pg: 2 },
  columns: [
    col('file', 'text'),
    col('vars_hash', 'text'),
    col('period_ms', 'int64'),
    col('slot', 'int64'),
    col('host', 'text'),
    col('pid', 'int'),
    col('claimed_at', 'epoch-ms'),
    col('run_id', 'text?'),
  ],
  primaryKey: ['file', 'vars_hash', 'period_ms', 'slot'],
  indexes: [],
};

/**
 * The overlap lock of a workflow as a lease, shared by boxes on PostgreSQL: the holder renews
 * `expires_at` while its run lives, and loses it once that has passed on the server's clock.
 */
const runLeases: Table = {
  name: 'run_leases',
  since: { pg: 2 },
  columns: [
    col('lock_key', 'text', { primaryKey: true }),
    col('file', 'text'),
    col('run_id', 'text'),
    col('host', 'text'),
    col('pid', 'int'),
    col('pid_start', 'text?'),
    col('started_at', 'epoch-ms'),
    col('expires_at', 'server-time'),
  ],
  indexes: [],
};

/** In creation order: a table comes after those it references. */
export const TABLES: readonly Table[] = [
  runs,
  stepInstances,
  attempts,
  stepOutput,
  historyMark,
  slotClaims,
  runLeases,
];

/** A table's column names in order, but `except`: a SELECT list that follows the description. */
export function columnNames(table: string, except: readonly string[] = []): string[] {
  const t = TABLES.find((x) => x.name === table);
  if (!t) throw new Error(`no table ${table} in the description`);
  return t.columns.map((c) => c.name).filter((n) => !except.includes(n));
}
