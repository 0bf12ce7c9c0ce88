import type { Database, Statement } from 'better-sqlite3';
import { checkOutline, type PlanOutline } from '../model/plan-outline.js';
import type { RunResult } from '../model/result.js';
import { isProcessAlive } from './process.js';
import type { AttemptFields } from '../model/result-codec.js';
import {
  runFromRow,
  type NewRun,
  type RunFilter,
  type RunLookup,
  type RunRecord,
  type StepRecord,
} from './records.js';
import { attemptFromRow, stepFromRow } from './step-row.js';
import { StepWriter } from './step-writer.js';

type Row = Record<string, unknown>;

/** Every column of `runs` but the plan outline, which only one run's page reads (planOf). */
const LIST_COLUMNS = `id, workflow, file, file_hash, vars_hash, status, exit_code, pid, pid_start, host,
  started_at, ended_at, duration_ms, run_dir, failed_step, error, resumed_from, alert`;

/** The run history: one SQLite file; every write is a prepared statement. */
export class HistoryStore {
  readonly steps: StepWriter;
  private readonly insertRun: Statement;
  private readonly endRun: Statement;

  constructor(
    readonly db: Database,
    readonly file: string,
  ) {
    this.steps = new StepWriter(db);
    this.insertRun = db.prepare(
      `INSERT INTO runs (id, workflow, file, file_hash, vars_hash, status, pid, pid_start, host, started_at, run_dir, resumed_from, plan)
       VALUES (@id, @workflow, @file, @fileHash, @varsHash, 'running', @pid, @pidStart, @host, @startedAt, @runDir, @resumedFrom, @plan)`,
    );
    this.endRun = db.prepare(
      `UPDATE runs SET status = @status, exit_code = @exitCode, ended_at = @endedAt, duration_ms = @durationMs,
       failed_step = @failedStep, error = @error WHERE id = @id`,
    );
  }

  /** Runs `fn` in one transaction (one commit for a batch of events). */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  beginRun(run: NewRun): void {
    const { plan, ...row } = run;
    this.insertRun.run({
      pidStart: null,
      resumedFrom: null,
      ...row,
      plan: plan ? JSON.stringify(plan) : null,
    });
  }

  finishRun(result: RunResult): void {
    this.endRun.run({
      id: result.runId,
      status: result.status,
      exitCode: result.exitCode,
      endedAt: result.endedAt,
      durationMs: result.durationMs,
      failedStep: result.failedStep ?? null,
      error: result.error ?? null,
    });
  }

  setAlert(runId: string, alert: string): void {
    this.db.prepare('UPDATE runs SET alert = ? WHERE id = ?').run(alert, runId);
  }

  /** Marks `running` runs of this host whose process is gone as interrupted, and their open steps cancelled. */
  sweepInterrupted(host: string, now = Date.now()): string[] {
    const open = this.db
      .prepare(`SELECT id, pid, pid_start FROM runs WHERE status = 'running' AND host = ?`)
      .all(host) as { id: string; pid: number; pid_start: string | null }[];
    const dead = open.filter((r) => !isProcessAlive(r.pid, r.pid_start)).map((r) => r.id);
    if (dead.length === 0) return [];
    const lastEnd = this.db.prepare(
      'SELECT COALESCE(MAX(ended_at), 0) AS t FROM step_instances WHERE run_id = ?',
    );
    const markRun = this.db.prepare(
      `UPDATE runs SET status = 'interrupted', ended_at = @endedAt, duration_ms = @endedAt - started_at
       WHERE id = @id AND status = 'running'`,
    );
    const markSteps = this.db.prepare(
      `UPDATE step_instances SET status = 'cancelled', ended_at = @endedAt, duration_ms = @endedAt - started_at,
       note = 'tasker died while this step ran (tasker''s own process is gone; tasker show reports the step''s processes)' WHERE run_id = @id AND status = 'running'`,
    );
    this.transaction(() => {
      for (const id of dead) {
        const { t } = lastEnd.get(id) as { t: number };
        const endedAt = t > 0 ? t : now;
        markSteps.run({ id, endedAt });
        markRun.run({ id, endedAt });
      }
    });
    return dead;
  }

  /** Newest first; `before` continues a page after its last run (keyset: cheap at any depth). */
  listRuns(filter: RunFilter = {}): RunRecord[] {
    const { where, params } = runWhere(filter);
    if (filter.before !== undefined) {
      where.push('(started_at < @beforeAt OR (started_at = @beforeAt AND id < @beforeId))');
      params.beforeAt = filter.before.startedAt;
      params.beforeId = filter.before.id;
    }
    const sql = `SELECT ${LIST_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY started_at DESC, id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all({ ...params, limit: filter.limit ?? -1 }) as Row[];
    return rows.map((r) => runFromRow(r));
  }

  /** How many runs match (ignores `before` and `limit`). */
  countRuns(filter: RunFilter = {}): number {
    const { where, params } = runWhere(filter);
    const sql = `SELECT COUNT(*) AS n FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    return (this.db.prepare(sql).get(params) as { n: number }).n;
  }

  /**
   * A number that changes whenever another connection (another tasker process) commits: what a
   * watcher polls to learn cheaply that the history moved (SQLite's `PRAGMA data_version`).
   */
  changeMark(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  /** The run's plan outline; undefined for a run recorded before outlines were kept. */
  planOf(id: string): PlanOutline | undefined {
    const row = this.db.prepare('SELECT plan FROM runs WHERE id = ?').get(id) as
      { plan: unknown } | undefined;
    if (typeof row?.plan !== 'string') return undefined;
    const where = `history runs id ${id} plan`;
    let value: unknown;
    try {
      value = JSON.parse(row.plan);
    } catch {
      throw new TypeError(`${where}: not JSON`);
    }
    return checkOutline(value, where);
  }

  /** `last`, a whole id, or a unique id prefix. */
  findRun(ref: string): RunLookup {
    if (ref === 'last') {
      const [run] = this.listRuns({ limit: 1 });
      return run ? { kind: 'found', run } : { kind: 'none' };
    }
    const rows = this.db
      .prepare(`SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6`)
      .all(ref, `${ref}\uffff`) as { id: string }[];
    const exact = rows.find((r) => r.id === ref);
    const only = exact ?? (rows.length === 1 ? rows[0] : undefined);
    if (only) return { kind: 'found', run: this.getRun(only.id)! };
    return rows.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', ids: rows.map((r) => r.id) };
  }

  /** The newest finished run of this file and vars: what `--resume` continues when it did not end well. */
  lastFinished(file: string, varsHash: string): RunRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM runs WHERE file = ? AND vars_hash = ? AND status != 'running'
         ORDER BY started_at DESC, id DESC LIMIT 1`,
      )
      .get(file, varsHash) as Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  /** The run's step instances in the order they were recorded, each with its attempts. */
  stepsOf(runId: string): StepRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM step_instances WHERE run_id = ? ORDER BY seq')
      .all(runId) as Row[];
    const attempts = this.db
      .prepare(
        `SELECT a.* FROM attempts a JOIN step_instances s ON s.seq = a.step_seq
         WHERE s.run_id = ? ORDER BY a.step_seq, a.ord`,
      )
      .all(runId) as Row[];
    const bySeq = new Map<unknown, Row[]>();
    for (const a of attempts) bySeq.set(a.step_seq, [...(bySeq.get(a.step_seq) ?? []), a]);
    return rows.map((r) => ({
      ...stepFromRow(r, bySeq.get(r.seq) ?? []),
      seq: Number(r.seq),
      runId,
    }));
  }

  getStep(runId: string, seq: number): StepRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM step_instances WHERE run_id = ? AND seq = ?')
      .get(runId, seq) as Row | undefined;
    if (!row) return undefined;
    const attempts = this.db
      .prepare('SELECT * FROM attempts WHERE step_seq = ? ORDER BY ord')
      .all(seq) as Row[];
    return { ...stepFromRow(row, attempts), seq: Number(row.seq), runId };
  }

  attemptsOf(stepSeq: number): AttemptFields[] {
    const rows = this.db
      .prepare('SELECT * FROM attempts WHERE step_seq = ? ORDER BY ord')
      .all(stepSeq) as Row[];
    return rows.map(attemptFromRow);
  }

  /** Finished runs past the retention: beyond the newest `keep`, or started before `before`. */
  runsToPrune(policy: { keep?: number; before?: number }): RunRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY started_at DESC, id DESC) AS n FROM runs)
         WHERE status != 'running' AND (n > @keep OR started_at < @before) ORDER BY started_at`,
      )
      .all({ keep: policy.keep ?? Number.MAX_SAFE_INTEGER, before: policy.before ?? 0 }) as Row[];
    return rows.map((r) => {
      delete r.n;
      return runFromRow(r);
    });
  }

  deleteRuns(ids: readonly string[]): void {
    const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
    this.transaction(() => ids.forEach((id) => del.run(id)));
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    this.db.close();
  }
}

function runWhere(filter: RunFilter): { where: string[]; params: Row } {
  const where: string[] = [];
  const params: Row = {};
  if (filter.workflow !== undefined) {
    where.push(`(workflow = @workflow OR file = @workflow OR file LIKE @suffix ESCAPE '\\')`);
    params.workflow = filter.workflow;
    params.suffix = `%/${filter.workflow.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
  }
  if (filter.status !== undefined) {
    where.push('status = @status');
    params.status = filter.status;
  }
  if (filter.since !== undefined) {
    where.push('started_at >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push('started_at < @until');
    params.until = filter.until;
  }
  return { where, params };
}
