import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { encodeStep } from '../../model/result-codec.js';
import type { RunResult, StepResult } from '../../model/result.js';
import type { HistoryWrite, RunWriter, StepStart } from '../history-store.js';
import { ATTEMPT_COLUMNS, STEP_COLUMNS, attemptParams, column, stepParams } from '../step-row.js';
import { INTERRUPTED_NOTE } from '../sweep.js';
import { storeOutput } from './output.js';

interface Transactor {
  transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T>;
}

const STEP_SET = STEP_COLUMNS.map((p, i) => `${column(p)} = $${i + 1}`).join(', ');
const STEP_INSERT = insertSql('step_instances', ['runId', ...STEP_COLUMNS]);
const ATTEMPT_INSERT = insertSql('attempts', ['stepSeq', 'ord', ...ATTEMPT_COLUMNS]);

/**
 * A run's events to PostgreSQL: each batch in one transaction, in order. Which row each step key
 * opened is kept only once its transaction committed, so a batch that failed (the server restarted)
 * can be written again as it was.
 */
export function pgRunWriter(db: Transactor, runId: string): RunWriter {
  const open = new Map<string, number>();
  return {
    async write(batch) {
      const opened = new Map<string, number | undefined>();
      await db.transaction(async (c) => {
        for (const w of batch)
          await apply(c, runId, w, (k) => (opened.has(k) ? opened.get(k) : open.get(k)), opened);
      });
      for (const [key, seq] of opened)
        if (seq === undefined) open.delete(key);
        else open.set(key, seq);
    },
  };
}

async function apply(
  c: PoolClient,
  runId: string,
  w: HistoryWrite,
  seqOf: (key: string) => number | undefined,
  opened: Map<string, number | undefined>,
): Promise<void> {
  if (w.kind === 'step-start') {
    if (seqOf(w.key) === undefined) opened.set(w.key, await startStep(c, w.start));
  } else if (w.kind === 'step-end') {
    await endStep(c, runId, w.result, seqOf(w.key));
    opened.set(w.key, undefined);
  } else await finishRun(c, w.result);
}

async function startStep(c: PoolClient, s: StepStart): Promise<number> {
  const { rows } = await q<{ seq: number }>(
    c,
    `INSERT INTO step_instances (run_id, step_id, host, kind, name, status, started_at, command)
     VALUES ($1, $2, $3, $4, $5, 'running', $6, $7) RETURNING seq`,
    [s.runId, s.stepId, s.host ?? null, s.kind, s.name, s.startedAt, s.command],
  );
  return rows[0]!.seq;
}

/** Completes the running row `seq` or inserts the result (blocks, skips); then its attempts and output. */
async function endStep(
  c: PoolClient,
  runId: string,
  result: StepResult,
  seq: number | undefined,
): Promise<void> {
  const fields = encodeStep(result);
  const params = stepParams(fields);
  const values = STEP_COLUMNS.map((p) => params[p] ?? null);
  let rowSeq = seq;
  if (rowSeq === undefined) {
    const { rows } = await q<{ seq: number }>(c, `${STEP_INSERT} RETURNING seq`, [runId, ...values]);
    rowSeq = rows[0]!.seq;
  } else
    await q(c, `UPDATE step_instances SET ${STEP_SET} WHERE seq = $${values.length + 1}`, [
      ...values,
      rowSeq,
    ]);
  for (const [ord, a] of fields.attempts.entries()) {
    const ap = attemptParams(a);
    await q(c, ATTEMPT_INSERT, [rowSeq, ord, ...ATTEMPT_COLUMNS.map((p) => ap[p] ?? null)]);
  }
  await storeOutput(c, rowSeq, 'stdout', fields.stdoutFile);
  await storeOutput(c, rowSeq, 'stderr', fields.stderrFile);
}

async function finishRun(c: PoolClient, r: RunResult): Promise<void> {
  await q(
    c,
    `UPDATE runs SET status = $2, exit_code = $3, ended_at = $4, duration_ms = $5, failed_step = $6, error = $7
     WHERE id = $1`,
    [r.runId, r.status, r.exitCode, r.endedAt, r.durationMs, r.failedStep ?? null, r.error ?? null],
  );
}

/** Runs found dead: their open steps cancelled, the run interrupted, at the last step's end (or now). */
export async function markInterrupted(c: PoolClient, dead: readonly string[], now: number): Promise<void> {
  for (const id of dead) {
    const last = await q<{ t: number }>(
      c,
      'SELECT COALESCE(MAX(ended_at), 0)::bigint AS t FROM step_instances WHERE run_id = $1',
      [id],
    );
    const endedAt = (last.rows[0]?.t ?? 0) > 0 ? last.rows[0]!.t : now;
    await q(
      c,
      `UPDATE step_instances SET status = 'cancelled', ended_at = $2, duration_ms = $2 - started_at, note = $3
         WHERE run_id = $1 AND status = 'running'`,
      [id, endedAt, INTERRUPTED_NOTE],
    );
    await q(
      c,
      `UPDATE runs SET status = 'interrupted', ended_at = $2, duration_ms = $2 - started_at
         WHERE id = $1 AND status = 'running'`,
      [id, endedAt],
    );
  }
}

/** PostgreSQL text cannot hold U+0000 (SQLite can): a NUL in output or a name is kept as U+FFFD. */
export function pgParams(values: readonly unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v));
}

function q<R extends QueryResultRow>(
  c: PoolClient,
  sql: string,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  return c.query<R>(sql, pgParams(values));
}

function insertSql(table: string, params: readonly string[]): string {
  return `INSERT INTO ${table} (${params.map(column).join(', ')}) VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`;
}
