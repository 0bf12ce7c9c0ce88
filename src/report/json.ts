import { encodeStep } from '../model/result-codec.js';
import { isoTime, stepJson } from '../model/result-json.js';
import type { RunResult } from '../model/result.js';

/** Version of the JSON report's shape; bump it when a field changes meaning or goes away. */
const JSON_REPORT_SCHEMA_VERSION = 1;

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
    /** Nothing ran: the steps are what would run. */
    dryRun: r.dryRun === true,
    steps: r.steps.map((s) => stepJson(encodeStep(s))),
  };
}
