import { CheckedRecord, isRecord } from './checked.js';
import { PLAN_NODE_KINDS } from './plan.js';
import {
  SKIP_REASONS,
  STEP_ERROR_CODES,
  STEP_STATUSES,
  type AttemptResult,
  type StepError,
  type StepResult,
} from './result.js';

/** Optional fields become required and null when unset. */
type Nullable<T> = { [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };

/**
 * A step result with every field present (null where the result has none): the one flat form that
 * the JSON report, the history rows, `--resume` and `tasker show` all read and write. Key order
 * (encodeStep's) is the JSON report's.
 */
export type StepFields = Omit<Nullable<StepResult>, 'attempts'> & { attempts: AttemptFields[] };

/** `iteration` is always set: 1 when the step did not loop. */
export type AttemptFields = Omit<Nullable<AttemptResult>, 'iteration'> & { iteration: number };

/** A step the history holds while it runs: it has no end yet. */
type RunningStepFields = Omit<StepFields, 'status' | 'endedAt' | 'durationMs'> & {
  status: 'running';
  endedAt: null;
  durationMs: null;
};

/** A step as the history records it: ended, or still running (or was, when tasker died). */
export type RecordedStepFields = StepFields | RunningStepFields;

export function encodeStep(r: StepResult): StepFields {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    host: r.host ?? null,
    status: r.status,
    exitCode: r.exitCode,
    signal: r.signal,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationMs: r.durationMs,
    display: r.display ?? null,
    iterations: r.iterations,
    stdoutFile: r.stdoutFile ?? null,
    stderrFile: r.stderrFile ?? null,
    stderrTail: [...r.stderrTail],
    skipReason: r.skipReason ?? null,
    error: r.error ? { code: r.error.code, message: r.error.message } : null,
    note: r.note ?? null,
    reusedFrom: r.reusedFrom ?? null,
    changed: r.changed ?? null,
    attempts: r.attempts.map(encodeAttempt),
  };
}

function encodeAttempt(a: AttemptResult): AttemptFields {
  return {
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
    error: a.error ? { code: a.error.code, message: a.error.message } : null,
  };
}

/** The inverse of encodeStep: null fields become absent ones. */
export function decodeStep(f: StepFields): StepResult {
  const { host, display, stdoutFile, stderrFile, skipReason, error, note, reusedFrom, changed, ...rest } = f;
  const r: StepResult = { ...rest, stderrTail: [...f.stderrTail], attempts: f.attempts.map(decodeAttempt) };
  if (host !== null) r.host = host;
  if (display !== null) r.display = display;
  if (stdoutFile !== null) r.stdoutFile = stdoutFile;
  if (stderrFile !== null) r.stderrFile = stderrFile;
  if (skipReason !== null) r.skipReason = skipReason;
  if (error !== null) r.error = { ...error };
  if (note !== null) r.note = note;
  if (reusedFrom !== null) r.reusedFrom = reusedFrom;
  if (changed !== null) r.changed = changed;
  return r;
}

function decodeAttempt(f: AttemptFields): AttemptResult {
  const { stdoutFile, stderrFile, error, ...rest } = f;
  const a: AttemptResult = { ...rest };
  if (stdoutFile !== null) a.stdoutFile = stdoutFile;
  if (stderrFile !== null) a.stderrFile = stderrFile;
  if (error !== null) a.error = { ...error };
  return a;
}

/** Times as a record stores them: epoch ms in the history, ISO 8601 strings in the JSON report. */
export interface TimeCodec {
  read(c: CheckedRecord, key: string): number;
}

const EPOCH_MS: TimeCodec = {
  read: (c, key) => c.integer(key),
};

/**
 * Checks a record read from outside (a history row joined with its attempts, a report.json step)
 * field by field; throws a TypeError naming the field when one is not what the codec wrote.
 */
export function checkRecordedStep(c: CheckedRecord, time: TimeCodec = EPOCH_MS): RecordedStepFields {
  const status = c.oneOf('status', [...STEP_STATUSES, 'running']);
  // Keys in encodeStep's order (the ended fields are placeholders here, set below in place), so a
  // step read back prints exactly as report.json printed it.
  const common = {
    id: c.string('id'),
    name: c.string('name'),
    kind: c.oneOf('kind', PLAN_NODE_KINDS),
    host: c.stringOrNull('host'),
    status,
    exitCode: c.integerOrNull('exitCode'),
    signal: c.stringOrNull('signal'),
    startedAt: time.read(c, 'startedAt'),
    endedAt: null,
    durationMs: null,
    display: c.stringOrNull('display'),
    iterations: c.integer('iterations'),
    stdoutFile: c.stringOrNull('stdoutFile'),
    stderrFile: c.stringOrNull('stderrFile'),
    stderrTail: c.stringList('stderrTail'),
    skipReason: c.oneOfOrNull('skipReason', SKIP_REASONS),
    error: checkError(c.recordOrNull('error')),
    note: c.stringOrNull('note'),
    reusedFrom: c.stringOrNull('reusedFrom'),
    changed: c.boolOrNull('changed'),
    attempts: c.list('attempts').map((a, i) => checkAttempt(item(c, 'attempts', i, a), time)),
  };
  if (status === 'running') return { ...common, status, endedAt: null, durationMs: null };
  return { ...common, status, endedAt: time.read(c, 'endedAt'), durationMs: c.integer('durationMs') };
}

/** A recorded step that has ended; throws when it is still running. */
export function checkStep(c: CheckedRecord, time: TimeCodec = EPOCH_MS): StepFields {
  const s = checkRecordedStep(c, time);
  return s.status === 'running' ? c.fail('status', 'an ended status') : s;
}

export function checkAttempt(c: CheckedRecord, time: TimeCodec = EPOCH_MS): AttemptFields {
  return {
    attempt: c.integer('attempt'),
    iteration: c.integer('iteration'),
    status: c.oneOf('status', STEP_STATUSES),
    exitCode: c.integerOrNull('exitCode'),
    signal: c.stringOrNull('signal'),
    startedAt: time.read(c, 'startedAt'),
    endedAt: time.read(c, 'endedAt'),
    durationMs: c.integer('durationMs'),
    stdoutFile: c.stringOrNull('stdoutFile'),
    stderrFile: c.stringOrNull('stderrFile'),
    error: checkError(c.recordOrNull('error')),
  };
}

function checkError(c: CheckedRecord | null): StepError | null {
  return c ? { code: c.oneOf('code', STEP_ERROR_CODES), message: c.string('message') } : null;
}

function item(c: CheckedRecord, key: string, i: number, v: unknown): CheckedRecord {
  return isRecord(v)
    ? new CheckedRecord(v, `${c.where} ${key}[${i}]`)
    : c.fail(`${key}[${i}]`, 'an object', v);
}
