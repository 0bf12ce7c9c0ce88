/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 is synchronous: each method does its work, then resolves the promise the HistoryStore interface asks for (a throw becomes a rejection). */
import type { Database, Statement } from 'better-sqlite3';
import type { RunResult } from '../model/result.js';
import type { HistoryStore, HistoryWrite, RunWriter, StoredOutput } from './history-store.js';
import { describeFault, ELSEWHERE } from './faults.js';
import { isProcessAlive } from './process.js';
import type { SlotClaims } from './slot-claims.js';
import { sqliteSlotClaims } from './sqlite-claims.js';
import type { PlanOutline } from '../model/plan-outline.js';
import {
  LIST_COLUMNS,
  planFromColumn,
  runFromRow,
  type NewRun,
  type RunFilter,
  type RunLookup,
  type RunRecord,
  type StepRecord,
} from './records.js';
import { lastFinishedQuery, positional, pruneQuery, runWhere } from './run-filter.js';
import { joinSteps, stepFromRow } from './step-row.js';
import { StepWriter } from './step-writer.js';
import { INTERRUPTED_NOTE } from './sweep.js';

type Row = Record<string, unknown>;

/**
 * The run history in one SQLite file. better-sqlite3 is synchronous: each method does its work
 * before it returns its promise, so a batch of a run's events is committed on the tick it is written.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'sqlite';
  readonly label: string;
  private readonly steps: StepWriter;
  private readonly insertRun: Statement;
  private readonly endRun: Statement;

  constructor(
    readonly db: Database,
    readonly file: string,
  ) {
    this.label = file;
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

  /** A full disk or a damaged file does not get better by retrying within a run. */
  isTransient(): boolean {
    return false;
  }

  describe(err: unknown, action: 'read' | 'write'): Error {
    return describeFault(err, `${action} the run history`, this.file, ELSEWHERE);
  }

  async beginRun(run: NewRun): Promise<void> {
    const { plan, ...row } = run;
    this.insertRun.run({
      pidStart: null,
      resumedFrom: null,
      ...row,
      plan: plan ? JSON.stringify(plan) : null,
    });
  }

  runWriter(runId: string): RunWriter {
    const open = new Map<string, number>();
    return {
      write: async (batch) => {
        const opened = new Map<string, number | undefined>();
        this.db.transaction(() => batch.forEach((w) => this.apply(runId, w, open, opened)))();
        for (const [key, seq] of opened)
          if (seq === undefined) open.delete(key);
          else open.set(key, seq);
      },
    };
  }

  /** `opened` collects changes to `open`, applied only once the transaction committed. */
  private apply(
    runId: string,
    w: HistoryWrite,
    open: Map<string, number>,
    opened: Map<string, number | undefined>,
  ): void {
    const seqOf = (key: string) => (opened.has(key) ? opened.get(key) : open.get(key));
    if (w.kind === 'step-start') {
      if (seqOf(w.key) === undefined) opened.set(w.key, this.steps.start(w.start));
    } else if (w.kind === 'step-end') {
      this.steps.end(runId, w.result, seqOf(w.key));
      opened.set(w.key, undefined);
    } else this.finishRun(w.result);
  }

  private finishRun(result: RunResult): void {
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

  async setAlert(runId: string, alert: string): Promise<void> {
    this.db.prepare('UPDATE runs SET alert = ? WHERE id = ?').run(alert, runId);
  }

  async sweepInterrupted(host: string, now = Date.now()): Promise<string[]> {
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
       note = @note WHERE run_id = @id AND status = 'running'`,
    );
    this.db.transaction(() => {
      for (const id of dead) {
        const { t } = lastEnd.get(id) as { t: number };
        const endedAt = t > 0 ? t : now;
        markSteps.run({ id, endedAt, note: INTERRUPTED_NOTE });
        markRun.run({ id, endedAt });
      }
    })();
    return dead;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const p = positional();
    const where = runWhere(filter, p.param, true);
    const sql = `SELECT ${LIST_COLUMNS} FROM runs ${where} ORDER BY started_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...p.values, filter.limit ?? -1) as Row[];
    return rows.map((r) => runFromRow(r));
  }

  async countRuns(filter: RunFilter = {}): Promise<number> {
    const p = positional();
    const sql = `SELECT COUNT(*) AS n FROM runs ${runWhere(filter, p.param, false)}`;
    return (this.db.prepare(sql).get(...p.values) as { n: number }).n;
  }

  /** SQLite's `PRAGMA data_version`: changes whenever another connection (another tasker process) commits. */
  async changeMark(): Promise<number> {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare(`SELECT ${LIST_COLUMNS} FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  async planOf(id: string): Promise<PlanOutline | undefined> {
    const row = this.db.prepare('SELECT plan FROM runs WHERE id = ?').get(id) as
      { plan: unknown } | undefined;
    return planFromColumn(row?.plan, id);
  }

  async findRun(ref: string): Promise<RunLookup> {
    if (ref === 'last') {
      const [run] = await this.listRuns({ limit: 1 });
      return run ? { kind: 'found', run } : { kind: 'none' };
    }
    const rows = this.db
      .prepare(`SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6`)
      .all(ref, `${ref}\uffff`) as { id: string }[];
    const only = rows.find((r) => r.id === ref) ?? (rows.length === 1 ? rows[0] : undefined);
    const run = only && (await this.getRun(only.id));
    if (run) return { kind: 'found', run };
    return rows.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', ids: rows.map((r) => r.id) };
  }

  async lastFinished(file: string, varsHash: string): Promise<RunRecord | undefined> {
    const p = positional();
    const row = this.db.prepare(lastFinishedQuery(file, varsHash, p.param)).get(...p.values) as
      Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  async stepsOf(runId: string): Promise<StepRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM step_instances WHERE run_id = ? ORDER BY seq')
      .all(runId) as Row[];
    const attempts = this.db
      .prepare(
        `SELECT a.* FROM attempts a JOIN step_instances s ON s.seq = a.step_seq
         WHERE s.run_id = ? ORDER BY a.step_seq, a.ord`,
      )
      .all(runId) as Row[];
    return joinSteps(runId, rows, attempts);
  }

  async getStep(runId: string, seq: number): Promise<StepRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM step_instances WHERE run_id = ? AND seq = ?')
      .get(runId, seq) as Row | undefined;
    if (!row) return undefined;
    const attempts = this.db
      .prepare('SELECT * FROM attempts WHERE step_seq = ? ORDER BY ord')
      .all(seq) as Row[];
    return { ...stepFromRow(row, attempts), seq: Number(row.seq), runId };
  }

  /** The output files are on this box: the SQLite history keeps no copy. */
  async stepOutput(): Promise<StoredOutput | undefined> {
    return undefined;
  }

  async runsToPrune(policy: { keep?: number; before?: number }): Promise<RunRecord[]> {
    const p = positional();
    const rows = this.db.prepare(pruneQuery(policy, p.param)).all(...p.values) as Row[];
    return rows.map((r) => runFromRow(r));
  }

  async deleteRuns(ids: readonly string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => del.run(id)))();
  }

  slotClaims(): SlotClaims {
    return sqliteSlotClaims(this.db);
  }

  /** One box: the overlap lock is the state home's lock file, not a lease in the store. */
  runLeases(): undefined {
    return undefined;
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
