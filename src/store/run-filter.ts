import { LIST_COLUMNS, type RunFilter } from './records.js';

/**
 * The WHERE of a runs query, for both databases: `param` adds a value and returns its placeholder
 * (`?` for SQLite, `$n` for PostgreSQL). `before` (keyset paging) is included when `paged`.
 */
export function runWhere(
  filter: RunFilter,
  param: (value: string | number) => string,
  paged: boolean,
): string {
  const where: string[] = [];
  if (filter.workflow !== undefined) {
    const suffix = `%/${filter.workflow.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
    const w = filter.workflow;
    where.push(`(workflow = ${param(w)} OR file = ${param(w)} OR file LIKE ${param(suffix)} ESCAPE '\\')`);
  }
  if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
  if (filter.since !== undefined) where.push(`started_at >= ${param(filter.since)}`);
  if (filter.until !== undefined) where.push(`started_at < ${param(filter.until)}`);
  if (paged && filter.before !== undefined) {
    const { startedAt: at, id } = filter.before;
    where.push(`(started_at < ${param(at)} OR (started_at = ${param(at)} AND id < ${param(id)}))`);
  }
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** The last finished run of a workflow file with these vars (what `--resume` continues), for both databases. */
export function lastFinishedQuery(
  file: string,
  varsHash: string,
  param: (v: string | number) => string,
): string {
  return `SELECT ${LIST_COLUMNS} FROM runs WHERE file = ${param(file)} AND vars_hash = ${param(varsHash)}
    AND status != 'running' ORDER BY started_at DESC, id DESC LIMIT 1`;
}

/** The runs a retention policy removes (past the newest `keep`, or started before `before`; never a running one), oldest first. */
export function pruneQuery(
  policy: { keep?: number; before?: number },
  param: (v: string | number) => string,
): string {
  return `SELECT ${LIST_COLUMNS} FROM runs WHERE id IN (SELECT id FROM
      (SELECT id, status, started_at, ROW_NUMBER() OVER (ORDER BY started_at DESC, id DESC) AS n FROM runs) AS r
    WHERE status != 'running' AND (n > ${param(policy.keep ?? Number.MAX_SAFE_INTEGER)} OR started_at < ${param(policy.before ?? 0)}))
    ORDER BY started_at`;
}

/** Placeholders for SQLite: every value is a positional `?`, in order. */
export function positional(): { values: (string | number)[]; param: (v: string | number) => string } {
  const values: (string | number)[] = [];
  return { values, param: (v) => (values.push(v), '?') };
}

/** Placeholders for PostgreSQL: `$1`, `$2`, … (each use of a value is its own parameter). */
export function numbered(): { values: (string | number)[]; param: (v: string | number) => string } {
  const values: (string | number)[] = [];
  return { values, param: (v) => (values.push(v), `$${values.length}`) };
}

/** The key of a step instance in a run: its id and host, as start and end events both carry them. */
export function stepKey(id: string, host?: string | null): string {
  return `${id}\u0000${host ?? ''}`;
}
