import type { RunFilter } from './records.js';

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
