import type { Pool, PoolClient } from 'pg';
import type { HistoryStore, RunWriter, StoredOutput } from '../history-store.js';
import { isProcessAlive } from '../process.js';
import type { RunLeases } from '../leases.js';
import type { SlotClaims } from '../slot-claims.js';
import type { PlanOutline } from '../../model/plan-outline.js';
import { pgStoreClaims, pgStoreLeases } from './coord.js';
import {
  LIST_COLUMNS,
  planFromColumn,
  runFromRow,
  type NewRun,
  type RunFilter,
  type RunLookup,
  type RunRecord,
  type StepRecord,
} from '../records.js';
import { lastFinishedQuery, numbered, pruneQuery, runWhere } from '../run-filter.js';
import { joinSteps, stepFromRow } from '../step-row.js';
import { isPgUnavailable, pgFault, type PgTarget } from './connect.js';
import { joinOutput } from './output.js';
import { markInterrupted, pgParams, pgRunWriter } from './pg-writes.js';

type Row = Record<string, unknown>;

/** The run history in PostgreSQL (schema `tasker`): one history shared by every box that names the same URL. */
export class PgHistoryStore implements HistoryStore {
  readonly kind = 'postgres';
  readonly label: string;

  constructor(
    private readonly pool: Pool,
    readonly target: PgTarget,
  ) {
    this.label = target.label;
  }

  isTransient(err: unknown): boolean {
    return isPgUnavailable(err) || (err instanceof Error && isPgUnavailable(err.cause));
  }

  describe(err: unknown, action: 'read' | 'write'): Error {
    return pgFault(err, this.target, action);
  }

  /** `fn` in one transaction on one connection; a connection that failed is dropped, not reused. */
  async transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken = false;
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      broken = true;
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release(broken);
    }
  }

  private async rows(sql: string, values: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, [...values])).rows;
    } catch (err) {
      throw pgFault(err, this.target, 'read');
    }
  }

  private async write(sql: string, values: readonly unknown[]): Promise<void> {
    try {
      await this.pool.query(sql, pgParams(values));
    } catch (err) {
      throw pgFault(err, this.target, 'write');
    }
  }

  async beginRun(r: NewRun): Promise<void> {
    await this.write(
      `INSERT INTO runs (id, workflow, file, file_hash, vars_hash, status, pid, pid_start, host, started_at, run_dir, resumed_from, plan)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8, $9, $10, $11, $12)`,
      [
        r.id,
        r.workflow,
        r.file,
        r.fileHash,
        r.varsHash,
        r.pid,
        r.pidStart ?? null,
        r.host,
        r.startedAt,
        r.runDir,
        r.resumedFrom ?? null,
        r.plan ? JSON.stringify(r.plan) : null,
      ],
    );
  }

  runWriter(runId: string): RunWriter {
    return pgRunWriter(this, runId);
  }

  async setAlert(runId: string, alert: string): Promise<void> {
    await this.write('UPDATE runs SET alert = $1 WHERE id = $2', [alert, runId]);
  }

  async sweepInterrupted(host: string, now = Date.now()): Promise<string[]> {
    const open = await this.rows(
      `SELECT id, pid, pid_start FROM runs WHERE status = 'running' AND host = $1`,
      [host],
    );
    const dead = open
      .filter((r) => !isProcessAlive(Number(r.pid), typeof r.pid_start === 'string' ? r.pid_start : null))
      .map((r) => String(r.id));
    if (dead.length === 0) return [];
    try {
      await this.transaction((c) => markInterrupted(c, dead, now));
    } catch (err) {
      throw pgFault(err, this.target, 'write');
    }
    return dead;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const p = numbered();
    const where = runWhere(filter, p.param, true);
    const limit = filter.limit === undefined ? '' : `LIMIT ${p.param(filter.limit)}`;
    const rows = await this.rows(
      `SELECT ${LIST_COLUMNS} FROM runs ${where} ORDER BY started_at DESC, id DESC ${limit}`,
      p.values,
    );
    return rows.map((r) => runFromRow(r));
  }

  async countRuns(filter: RunFilter = {}): Promise<number> {
    const p = numbered();
    const rows = await this.rows(
      `SELECT COUNT(*)::bigint AS n FROM runs ${runWhere(filter, p.param, false)}`,
      p.values,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** A counter every write statement bumps (a trigger): it moves only when a change commits. */
  async changeMark(): Promise<number> {
    const rows = await this.rows('SELECT mark FROM history_mark');
    return Number(rows[0]?.mark ?? 0);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const [row] = await this.rows(`SELECT ${LIST_COLUMNS} FROM runs WHERE id = $1`, [id]);
    return row ? runFromRow(row) : undefined;
  }

  async planOf(id: string): Promise<PlanOutline | undefined> {
    const [row] = await this.rows('SELECT plan FROM runs WHERE id = $1', [id]);
    return planFromColumn(row?.plan, id);
  }

  async findRun(ref: string): Promise<RunLookup> {
    if (ref === 'last') {
      const [run] = await this.listRuns({ limit: 1 });
      return run ? { kind: 'found', run } : { kind: 'none' };
    }
    const rows = await this.rows('SELECT id FROM runs WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 6', [
      ref,
      `${ref}\uffff`,
    ]);
    const ids = rows.map((r) => String(r.id));
    const only = ids.find((id) => id === ref) ?? (ids.length === 1 ? ids[0] : undefined);
    const run = only === undefined ? undefined : await this.getRun(only);
    if (run) return { kind: 'found', run };
    return ids.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', ids };
  }

  async lastFinished(file: string, varsHash: string): Promise<RunRecord | undefined> {
    const p = numbered();
    const [row] = await this.rows(lastFinishedQuery(file, varsHash, p.param), p.values);
    return row ? runFromRow(row) : undefined;
  }

  async stepsOf(runId: string): Promise<StepRecord[]> {
    const rows = await this.rows('SELECT * FROM step_instances WHERE run_id = $1 ORDER BY seq', [runId]);
    const attempts = await this.rows(
      `SELECT a.* FROM attempts a JOIN step_instances s ON s.seq = a.step_seq
       WHERE s.run_id = $1 ORDER BY a.step_seq, a.ord`,
      [runId],
    );
    return joinSteps(runId, rows, attempts);
  }

  async getStep(runId: string, seq: number): Promise<StepRecord | undefined> {
    const [row] = await this.rows('SELECT * FROM step_instances WHERE run_id = $1 AND seq = $2', [
      runId,
      seq,
    ]);
    if (!row) return undefined;
    const attempts = await this.rows('SELECT * FROM attempts WHERE step_seq = $1 ORDER BY ord', [seq]);
    return { ...stepFromRow(row, attempts), seq: Number(row.seq), runId };
  }

  async stepOutput(seq: number, stream: 'stdout' | 'stderr'): Promise<StoredOutput | undefined> {
    const rows = await this.rows(
      'SELECT omitted_before, data FROM step_output WHERE step_seq = $1 AND stream = $2 ORDER BY part',
      [seq, stream],
    );
    if (rows.length === 0) return undefined;
    return joinOutput(
      rows.map((r) => ({ omitted_before: Number(r.omitted_before), data: r.data as Buffer })),
    );
  }

  async runsToPrune(policy: { keep?: number; before?: number }): Promise<RunRecord[]> {
    const p = numbered();
    const rows = await this.rows(pruneQuery(policy, p.param), p.values);
    return rows.map((r) => runFromRow(r));
  }

  async deleteRuns(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.write('DELETE FROM runs WHERE id = ANY($1)', [ids]);
  }

  slotClaims(): SlotClaims {
    return pgStoreClaims(this.pool, this.target);
  }

  /** The overlap lock lives here as a lease, shared by every box (a file lock would be per box). */
  runLeases(): RunLeases {
    return pgStoreLeases(this.pool, this.target);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
