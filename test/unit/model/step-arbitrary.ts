import fc from 'fast-check';
import { PLAN_NODE_KINDS } from '../../../src/model/plan.js';
import type { StepFields } from '../../../src/model/result-codec.js';
import {
  SKIP_REASONS,
  STEP_ERROR_CODES,
  STEP_STATUSES,
  type AttemptResult,
  type StepResult,
} from '../../../src/model/result.js';
import type { HistoryStore } from '../../../src/store/index.js';
import { newRun } from '../store/helpers.js';

const time = fc.integer({ min: 1, max: 4_000_000_000_000 });
const text = fc.string({ maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const error = fc.record({ code: fc.constantFrom(...STEP_ERROR_CODES), message: text });

const attempt: fc.Arbitrary<AttemptResult> = fc.record(
  {
    attempt: fc.integer({ min: 1, max: 9 }),
    iteration: fc.integer({ min: 1, max: 9 }),
    status: fc.constantFrom(...STEP_STATUSES),
    exitCode: fc.option(fc.integer({ min: 0, max: 255 })),
    signal: fc.option(fc.constantFrom('SIGTERM', 'SIGKILL')),
    startedAt: time,
    endedAt: time,
    durationMs: fc.nat(),
    stdoutFile: text,
    stderrFile: text,
    error,
  },
  { requiredKeys: ['attempt', 'status', 'exitCode', 'signal', 'startedAt', 'endedAt', 'durationMs'] },
);

/** Any result the runner could report; optional fields absent or set, strings of any characters. */
export const stepResult: fc.Arbitrary<StepResult> = fc
  .record({
    id: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    kind: fc.constantFrom(...PLAN_NODE_KINDS),
    name: text,
    host: opt(text),
    status: fc.constantFrom(...STEP_STATUSES),
    exitCode: fc.option(fc.integer({ min: -1, max: 255 })),
    signal: fc.option(text),
    startedAt: time,
    endedAt: time,
    durationMs: fc.nat(),
    display: opt(text),
    attempts: fc.array(attempt, { maxLength: 4 }),
    iterations: fc.nat({ max: 9 }),
    stdoutFile: opt(text),
    stderrFile: opt(text),
    stderrTail: fc.array(text, { maxLength: 3 }),
    skipReason: opt(fc.constantFrom(...SKIP_REASONS)),
    error: opt(error),
    note: opt(text),
    changed: opt(fc.boolean()),
    reusedFrom: opt(text),
  })
  .map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out as unknown as StepResult;
  });

/** Writes `r` as a run's only step and reads it back (the SQLite and the PostgreSQL suites run the same property). */
export async function fromHistory(store: HistoryStore, runId: string, r: StepResult): Promise<StepFields> {
  await store.beginRun(newRun(runId));
  await store.runWriter(runId).write([{ kind: 'step-end', key: 'k', result: r }]);
  const [{ seq: _seq, runId: _run, ...row }] = (await store.stepsOf(runId)) as [
    StepFields & { seq: number; runId: string },
  ];
  return row;
}
