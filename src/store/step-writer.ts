import type { Database, Statement } from 'better-sqlite3';
import type { StepResult } from '../model/result.js';

export interface StepStart {
  runId: string;
  stepId: string;
  host?: string;
  name: string;
  kind: string;
  command: string;
  startedAt: number;
}

/** Prepared statements for step instances and their attempts. */
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
    const fields = `status = @status, exit_code = @exitCode, signal = @signal, started_at = @startedAt,
      ended_at = @endedAt, duration_ms = @durationMs, command = @command, stdout_file = @stdoutFile,
      stderr_file = @stderrFile, skip_reason = @skipReason, error_code = @errorCode,
      error_message = @errorMessage, note = @note, iterations = @iterations, kind = @kind, name = @name`;
    this.updateEnded = db.prepare(`UPDATE step_instances SET ${fields} WHERE seq = @seq`);
    this.insertEnded = db.prepare(
      `INSERT INTO step_instances (run_id, step_id, host, kind, name, status, exit_code, signal, started_at,
         ended_at, duration_ms, command, stdout_file, stderr_file, skip_reason, error_code, error_message, note, iterations)
       VALUES (@runId, @stepId, @host, @kind, @name, @status, @exitCode, @signal, @startedAt, @endedAt,
         @durationMs, @command, @stdoutFile, @stderrFile, @skipReason, @errorCode, @errorMessage, @note, @iterations)`,
    );
    this.insertAttempt = db.prepare(
      `INSERT INTO attempts (step_seq, ord, attempt, iteration, status, exit_code, signal, started_at, ended_at,
         duration_ms, stdout_file, stderr_file, error_code, error_message)
       VALUES (@seq, @ord, @attempt, @iteration, @status, @exitCode, @signal, @startedAt, @endedAt,
         @durationMs, @stdoutFile, @stderrFile, @errorCode, @errorMessage)`,
    );
  }

  /** A `running` row; returns its seq for the update at the end. */
  start(s: StepStart): number {
    const info = this.insertRunning.run({ ...s, host: s.host ?? null });
    return Number(info.lastInsertRowid);
  }

  /** Completes the running row `seq`, or inserts the result when it never started (blocks, skips). */
  end(runId: string, result: StepResult, seq?: number): number {
    const params = endParams(runId, result);
    let rowSeq = seq;
    if (rowSeq === undefined) rowSeq = Number(this.insertEnded.run(params).lastInsertRowid);
    else this.updateEnded.run({ ...params, seq: rowSeq });
    result.attempts.forEach((a, ord) =>
      this.insertAttempt.run({
        seq: rowSeq,
        ord,
        attempt: a.attempt,
        iteration: a.iteration ?? 1,
        status: a.status,
        exitCode: a.exitCode,
        signal: a.signal,
        startedAt: a.startedAt,
        endedAt: a.endedAt,
        durationMs: a.durationMs,
        stdoutFile: a.stdoutFile ?? null,
        stderrFile: a.stderrFile ?? null,
        errorCode: a.error?.code ?? null,
        errorMessage: a.error?.message ?? null,
      }),
    );
    return rowSeq;
  }
}

function endParams(runId: string, r: StepResult): Record<string, unknown> {
  return {
    runId,
    stepId: r.id,
    host: r.host ?? null,
    kind: r.kind,
    name: r.name,
    status: r.status,
    exitCode: r.exitCode,
    signal: r.signal,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationMs: r.durationMs,
    command: r.display ?? null,
    stdoutFile: r.stdoutFile ?? null,
    stderrFile: r.stderrFile ?? null,
    skipReason: r.skipReason ?? null,
    errorCode: r.error?.code ?? null,
    errorMessage: r.error?.message ?? null,
    note: r.note ?? null,
    iterations: r.iterations,
  };
}
