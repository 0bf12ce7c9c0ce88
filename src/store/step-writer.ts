import type { Database, Statement } from 'better-sqlite3';
import { encodeStep } from '../model/result-codec.js';
import type { StepResult } from '../model/result.js';
import type { StepStart } from './history-store.js';
import { ATTEMPT_COLUMNS, STEP_COLUMNS, attemptParams, column, stepParams } from './step-row.js';

/** Prepared statements (SQLite) for step instances and their attempts. */
export class StepWriter {
  private readonly insertRunning: Statement;
  private readonly insertEnded: Statement;
  private readonly updateEnded: Statement;
  private readonly insertAttempt: Statement;

  constructor(db: Database) {
    this.insertRunning = db.prepare(
      `INSERT INTO step_instances (run_id, step_id, host, kind, name, status, started_at, command)
       VALUES (@runId, @stepId, @host, @kind, @name, 'running', @startedAt, @command)`,
    );
    const set = STEP_COLUMNS.map((p) => `${column(p)} = @${p}`).join(', ');
    this.updateEnded = db.prepare(`UPDATE step_instances SET ${set} WHERE seq = @seq`);
    this.insertEnded = db.prepare(insertSql('step_instances', ['runId', ...STEP_COLUMNS]));
    this.insertAttempt = db.prepare(insertSql('attempts', ['stepSeq', 'ord', ...ATTEMPT_COLUMNS]));
  }

  /** A `running` row; returns its seq for the update at the end. */
  start(s: StepStart): number {
    const info = this.insertRunning.run({ ...s, host: s.host ?? null });
    return Number(info.lastInsertRowid);
  }

  /** Completes the running row `seq`, or inserts the result when it never started (blocks, skips). */
  end(runId: string, result: StepResult, seq?: number): number {
    const fields = encodeStep(result);
    const params = stepParams(fields);
    let rowSeq = seq;
    if (rowSeq === undefined) rowSeq = Number(this.insertEnded.run({ ...params, runId }).lastInsertRowid);
    else this.updateEnded.run({ ...params, seq: rowSeq });
    fields.attempts.forEach((a, ord) =>
      this.insertAttempt.run({ ...attemptParams(a), stepSeq: rowSeq, ord }),
    );
    return rowSeq;
  }
}

function insertSql(table: string, params: readonly string[]): string {
  return `INSERT INTO ${table} (${params.map(column).join(', ')}) VALUES (${params.map((p) => `@${p}`).join(', ')})`;
}
