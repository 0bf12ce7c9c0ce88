import type { AttemptResult, RunResult, StepResult } from '../model/result.js';
import { isoTime } from './durations.js';

/** Version of the JSON report's shape; bump it when a field changes meaning or goes away. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

/**
 * The RunResult as a stable JSON document: every key always present (null when unknown), times as
 * ISO strings beside millisecond durations, steps in execution order with their attempts.
 */
export function renderJsonReport(result: RunResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

export function toJsonReport(r: RunResult): Record<string, unknown> {
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    runId: r.runId,
    workflow: r.workflow,
    file: r.file,
    status: r.status,
    exitCode: r.exitCode,
    startedAt: isoTime(r.startedAt),
    endedAt: isoTime(r.endedAt),
    durationMs: r.durationMs,
    interrupted: r.interrupted ?? null,
    failedStep: r.failedStep ?? null,
    unreachableHosts: r.unreachableHosts,
    runDir: r.runDir ?? null,
    steps: r.steps.map(stepJson),
  };
}

function stepJson(s: StepResult): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    host: s.host ?? null,
    status: s.status,
    exitCode: s.exitCode,
    signal: s.signal,
    startedAt: isoTime(s.startedAt),
    endedAt: isoTime(s.endedAt),
    durationMs: s.durationMs,
    display: s.display ?? null,
    iterations: s.iterations,
    stdoutFile: s.stdoutFile ?? null,
    stderrFile: s.stderrFile ?? null,
    stderrTail: s.stderrTail,
    skipReason: s.skipReason ?? null,
    error: s.error ?? null,
    note: s.note ?? null,
    /** Set by `run --resume`: the run whose recorded result this is. */
    reusedFrom: s.reusedFrom ?? null,
    /** Copy steps: false when the destination already matched. */
    changed: s.changed ?? null,
    attempts: s.attempts.map(attemptJson),
  };
}

function attemptJson(a: AttemptResult): Record<string, unknown> {
  return {
    attempt: a.attempt,
    status: a.status,
    exitCode: a.exitCode,
    signal: a.signal,
    startedAt: isoTime(a.startedAt),
    endedAt: isoTime(a.endedAt),
    durationMs: a.durationMs,
    stdoutFile: a.stdoutFile ?? null,
    stderrFile: a.stderrFile ?? null,
    error: a.error ?? null,
  };
}
