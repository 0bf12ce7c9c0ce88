import { CheckedRecord } from '../model/checked.js';
import {
  checkAttempt,
  checkRecordedStep,
  type AttemptFields,
  type RecordedStepFields,
  type StepFields,
} from '../model/result-codec.js';

/** Columns a step row and an attempt row both have, named as the SQL parameters (camelCase). */
const OUTCOME_COLUMNS = [
  'status',
  'exitCode',
  'signal',
  'startedAt',
  'endedAt',
  'durationMs',
  'stdoutFile',
  'stderrFile',
  'errorCode',
  'errorMessage',
] as const;

/** The columns of `step_instances` an ended step writes. */
export const STEP_COLUMNS = [
  ...OUTCOME_COLUMNS,
  ...['stepId', 'host', 'kind', 'name', 'command', 'stderrTail', 'skipReason', 'note'],
  ...['reusedFrom', 'changed', 'iterations'],
] as const;

export const ATTEMPT_COLUMNS = ['attempt', 'iteration', ...OUTCOME_COLUMNS] as const;

type Params = Record<string, string | number | null>;

/** `exitCode` to `exit_code`. */
export function column(param: string): string {
  return param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A step's fields as SQL parameters, one per STEP_COLUMNS entry. */
export function stepParams(f: StepFields): Params {
  const { id, display, error, stderrTail, changed, attempts: _a, ...same } = f;
  return {
    ...same,
    stepId: id,
    command: display,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    stderrTail: JSON.stringify(stderrTail),
    changed: changed === null ? null : Number(changed),
  };
}

export function attemptParams(f: AttemptFields): Params {
  const { error, ...same } = f;
  return { ...same, errorCode: error?.code ?? null, errorMessage: error?.message ?? null };
}

/** A `step_instances` row and its `attempts` rows, checked field by field (not cast). */
export function stepFromRow(
  row: Record<string, unknown>,
  attempts: readonly Record<string, unknown>[],
): RecordedStepFields {
  const r = camel(row);
  const where = `history step_instances seq ${String(r.seq)}`;
  return checkRecordedStep(
    new CheckedRecord(
      {
        ...r,
        id: r.stepId,
        display: r.command,
        error: errorOf(r),
        stderrTail: parseTail(r.stderrTail, where),
        changed: typeof r.changed === 'number' ? r.changed !== 0 : r.changed,
        attempts: attempts.map((a) => attemptFromRow(a)),
      },
      where,
    ),
  );
}

function attemptFromRow(row: Record<string, unknown>): AttemptFields {
  const a = camel(row);
  const where = `history attempts step_seq ${String(a.stepSeq)} ord ${String(a.ord)}`;
  return checkAttempt(new CheckedRecord({ ...a, error: errorOf(a) }, where));
}

function errorOf(r: Record<string, unknown>): unknown {
  return r.errorCode === null ? null : { code: r.errorCode, message: r.errorMessage };
}

function parseTail(text: unknown, where: string): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TypeError(`${where}: stderr_tail is not a JSON list`);
  }
}

/** snake_case columns to camelCase keys. */
export function camel(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

/** Step rows and their attempt rows (ordered by step, then ord) to records. */
export function joinSteps(
  runId: string,
  rows: readonly Record<string, unknown>[],
  attempts: readonly Record<string, unknown>[],
): (RecordedStepFields & { seq: number; runId: string })[] {
  const bySeq = new Map<number, Record<string, unknown>[]>();
  for (const a of attempts) bySeq.set(Number(a.step_seq), [...(bySeq.get(Number(a.step_seq)) ?? []), a]);
  return rows.map((r) => ({ ...stepFromRow(r, bySeq.get(Number(r.seq)) ?? []), seq: Number(r.seq), runId }));
}
