import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planResume } from '../../../src/api/resume.js';
import { CheckedRecord } from '../../../src/model/checked.js';
import { checkStep, decodeStep, encodeStep, type StepFields } from '../../../src/model/result-codec.js';
import { ISO_TIME } from '../../../src/model/result-json.js';
import type { StepResult } from '../../../src/model/result.js';
import { toJsonReport } from '../../../src/report/json.js';
import { openHistory } from '../../../src/store/index.js';
import { cmd, plan } from '../run/plan-builders.js';
import { runResult, tempHome } from '../store/helpers.js';

import { fromHistory, stepResult } from './step-arbitrary.js';

function fromJson(r: StepResult): StepFields {
  const doc = JSON.parse(JSON.stringify(toJsonReport(runResult('r', { steps: [r] })))) as {
    steps: Record<string, unknown>[];
  };
  return checkStep(new CheckedRecord(doc.steps[0]!, 'report.json'), ISO_TIME);
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
      await fc.assert(
        fc.asyncProperty(stepResult, async (r) => {
          const want = encodeStep(r);
          expect(fromJson(r)).toEqual(want);
          const runId = `run-${n++}`;
          expect(await fromHistory(store, runId, r)).toEqual(want);
          // Resume reuses it (as a tolerated failure when it failed) and marks where it came from.
          const result = runResult(runId, { status: 'failed', exitCode: 1 });
          await store.runWriter(runId).write([{ kind: 'run-end', result }]);
          if (r.host !== undefined || !['ok', 'failed', 'timed-out', 'unreachable'].includes(r.status))
            return;
          const p = plan([cmd(r.id, 'x', { continueOnError: true })]);
          const id = { realFile: '/srv/wf.yaml', fileHash: 'f1', varsHash: 'v1' };
          const decision = await planResume(store, p, id, { run: runId, captureLimitBytes: 0 });
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
      await store.close();
    }
  });

  it('refuses a history value the codec did not write, naming the field', async () => {
    const store = await openHistory(tempHome());
    try {
      await fromHistory(store, 'r1', encodeAndBack());
      store.db.prepare(`UPDATE step_instances SET status = 'bogus'`).run();
      await expect(store.stepsOf('r1')).rejects.toThrow(/status is "bogus", expected one of ok, failed/);
      store.db.prepare(`UPDATE step_instances SET status = 'ok', skip_reason = 'whim'`).run();
      await expect(store.stepsOf('r1')).rejects.toThrow(/skipReason is "whim"/);
      store.db.prepare(`UPDATE step_instances SET skip_reason = NULL`).run();
      store.db.prepare(`UPDATE attempts SET iteration = 'x'`).run();
      await expect(store.stepsOf('r1')).rejects.toThrow(
        /attempts step_seq \d+ ord 0: iteration is "x", expected an integer/,
      );
    } finally {
      await store.close();
    }
  });
});

function encodeAndBack(): StepResult {
  return fc.sample(stepResult, { numRuns: 1, seed: 1 })[0]!;
}
