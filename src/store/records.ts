import { CheckedRecord } from '../model/checked.js';
import { displayName } from '../model/labels.js';
import { checkOutline, type PlanOutline } from '../model/plan-outline.js';
import type { RecordedStepFields } from '../model/result-codec.js';
import { RUN_STATUSES, type RunStatus } from '../model/result.js';
import { camel } from './step-row.js';
import { columnNames } from './tables.js';

/** A run as the history keeps it; `running` until it ends or its process is found gone. */
export interface RunRecord {
  id: string;
  workflow: string;
  file: string;
  fileHash: string;
  varsHash: string;
  status: RunStatus | 'running';
  exitCode: number | null;
  pid: number;
  pidStart: string | null;
  host: string;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  runDir: string;
  failedStep: string | null;
  /** What the user calls the failed step (model/labels.ts), from its own row's name. */
  failedLabel: string | null;
  error: string | null;
  resumedFrom: string | null;
  /** What the alerts did, e.g. `command: ok; webhook: failed (HTTP 500)`. */
  alert: string | null;
}

/** One step instance (a fan-out host, a block, a skipped step), as the codec reads it back; `running` while it runs. */
export type StepRecord = RecordedStepFields & { seq: number; runId: string };

export interface NewRun {
  id: string;
  workflow: string;
  file: string;
  fileHash: string;
  varsHash: string;
  pid: number;
  pidStart?: string;
  host: string;
  startedAt: number;
  runDir: string;
  resumedFrom?: string;
  /** The plan's outline (model/plan-outline.ts), kept for `tasker serve`'s graph. */
  plan?: PlanOutline;
}

export interface RunFilter {
  /** A workflow name, or a file path (absolute, or matched as a path suffix). */
  workflow?: string;
  status?: string;
  /** Epoch ms: runs started at or after. */
  since?: number;
  /** Epoch ms: runs started before. */
  until?: number;
  /** The last run of the previous page: continue after it. */
  before?: { startedAt: number; id: string };
  limit?: number;
}

export type RunLookup =
  { kind: 'found'; run: RunRecord } | { kind: 'none' } | { kind: 'ambiguous'; ids: string[] };

/**
 * Every column of `runs` but the plan outline, which only one run's page reads (planOf), and the
 * failed step's name from its own row: the row keeps the step id, which may be an internal path.
 */
export const LIST_COLUMNS = `${columnNames('runs', ['plan']).join(', ')},
  CASE WHEN failed_step IS NULL THEN NULL ELSE (SELECT s.name FROM step_instances s
    WHERE s.run_id = runs.id AND s.step_id = runs.failed_step ORDER BY s.seq LIMIT 1) END AS failed_step_name`;

/** A run's `plan` column (JSON text or null) read back through the outline's checked reader. */
export function planFromColumn(text: unknown, id: string): PlanOutline | undefined {
  if (typeof text !== 'string') return undefined;
  const where = `history runs id ${id} plan`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TypeError(`${where}: not JSON`);
  }
  return checkOutline(value, where);
}

/** A `runs` row, checked field by field (not cast). */
export function runFromRow(row: Record<string, unknown>): RunRecord {
  const c = new CheckedRecord(camel(row), `history runs id ${String(row.id)}`);
  const failedStep = c.stringOrNull('failedStep');
  return {
    id: c.string('id'),
    workflow: c.string('workflow'),
    file: c.string('file'),
    fileHash: c.string('fileHash'),
    varsHash: c.string('varsHash'),
    status: c.oneOf('status', [...RUN_STATUSES, 'running']),
    exitCode: c.integerOrNull('exitCode'),
    pid: c.integer('pid'),
    pidStart: c.stringOrNull('pidStart'),
    host: c.string('host'),
    startedAt: c.integer('startedAt'),
    endedAt: c.integerOrNull('endedAt'),
    durationMs: c.integerOrNull('durationMs'),
    runDir: c.string('runDir'),
    failedStep,
    failedLabel:
      failedStep === null ? null : displayName(failedStep, c.stringOrNull('failedStepName') ?? undefined),
    error: c.stringOrNull('error'),
    resumedFrom: c.stringOrNull('resumedFrom'),
    alert: c.stringOrNull('alert'),
  };
}
