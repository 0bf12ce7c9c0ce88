import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planResume } from '../../../src/api/resume.js';
import { CheckedRecord } from '../../../src/model/checked.js';
import { PLAN_NODE_KINDS } from '../../../src/model/plan.js';
import { checkStep, decodeStep, encodeStep, type StepFields } from '../../../src/model/result-codec.js';
import { ISO_TIME } from '../../../src/model/result-json.js';
import {
  SKIP_REASONS,
  STEP_ERROR_CODES,
  STEP_STATUSES,
  type AttemptResult,
  type StepResult,
} from '../../../src/model/result.js';
import { toJsonReport } from '../../../src/report/json.js';
import { openHistory, type HistoryStore } from '../../../src/store/index.js';
import { cmd, plan } from '../run/plan-builders.js';
import { newRun, runResult, tempHome } from '../store/helpers.js';

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
const stepResult: fc.Arbitrary<StepResult> = fc
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

function fromJson(r: StepResult): StepFields {
  const doc = JSON.parse(JSON.stringify(toJsonReport(runResult('r', { steps: [r] })))) as {
    steps: Record<string, unknown>[];
  };
  return checkStep(new CheckedRecord(doc.steps[0]!, 'report.json'), ISO_TIME);
}

function fromHistory(store: HistoryStore, runId: string, r: StepResult): StepFields {
  store.beginRun(newRun(runId));
  store.steps.end(runId, r);
  const [{ seq: _seq, runId: _run, ...row }] = store.stepsOf(runId) as [
    StepFields & { seq: number; runId: string },
  ];
  return row;
}

describe('the step result codec', () => {
  it('decodeStep inverts encodeStep', () => {
    fc.assert(
      fc.property(stepResult, (r) => {
        expect(encodeStep(decodeStep(encodeStep(r)))).toEqual(encodeStep(r));
      }),
    );
  });

  it('report.json, a history row and a resumed result hold the same fields as the result', async () => {
    const store = await openHistory(tempHome());
    let n = 0;
    try {
      fc.assert(
        fc.property(stepResult, (r) => {
          const want = encodeStep(r);
          expect(fromJson(r)).toEqual(want);
          const runId = `run-${n++}`;
          expect(fromHistory(store, runId, r)).toEqual(want);
          // Resume reuses it (as a tolerated failure when it failed) and marks where it came from.
          store.finishRun(runResult(runId, { status: 'failed', exitCode: 1 }));
          if (r.host !== undefined || !['ok', 'failed', 'timed-out', 'unreachable'].includes(r.status))
            return;
          const p = plan([cmd(r.id, 'x', { continueOnError: true })]);
          const id = { realFile: '/srv/wf.yaml', fileHash: 'f1', varsHash: 'v1' };
          const decision = planResume(store, p, id, { run: runId, captureLimitBytes: 0 });
          if (decision.kind !== 'ok') throw new Error(decision.reason);
          const preset = decision.presets.get(r.id);
          if (preset?.kind !== 'reuse') throw new Error('not reused');
          const origin = r.reusedFrom ?? runId;
          expect(encodeStep(preset.results[0]!)).toEqual({
            ...want,
            note: `reused from run ${origin}`,
            reusedFrom: origin,
          });
        }),
        { numRuns: 300 },
      );
    } finally {
      store.close();
    }
  });

  it('refuses a history value the codec did not write, naming the field', async () => {
    const store = await openHistory(tempHome());
    try {
      store.beginRun(newRun('r1'));
      store.steps.end('r1', encodeAndBack());
      store.db.prepare(`UPDATE step_instances SET status = 'bogus'`).run();
      expect(() => store.stepsOf('r1')).toThrow(/status is "bogus", expected one of ok, failed/);
      store.db.prepare(`UPDATE step_instances SET status = 'ok', skip_reason = 'whim'`).run();
      expect(() => store.stepsOf('r1')).toThrow(/skipReason is "whim"/);
      store.db.prepare(`UPDATE step_instances SET skip_reason = NULL`).run();
      store.db.prepare(`UPDATE attempts SET iteration = 'x'`).run();
      expect(() => store.stepsOf('r1')).toThrow(
        /attempts step_seq \d+ ord 0: iteration is "x", expected an integer/,
      );
    } finally {
      store.close();
    }
  });
});

function encodeAndBack(): StepResult {
  return fc.sample(stepResult, { numRuns: 1, seed: 1 })[0]!;
}
