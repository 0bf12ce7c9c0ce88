import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckedRecord } from '../../src/model/checked.js';
import { checkStep, type StepFields } from '../../src/model/result-codec.js';
import { ISO_TIME } from '../../src/model/result-json.js';
import { openHistory } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { history, workspace } from './store-helpers.js';

// Every field the codec carries is set by some step: attempts across loop iterations (`iteration`),
// an attempt's own error (spawn), a step error (loop-exhausted), stderr tails, skips. (`changed`
// needs an ssh copy: test/unit/store/result-codec.test.ts round-trips it.)
function workflow(dir: string): string {
  return `version: 1
name: roundtrip
steps:
  - id: looped
    run: echo "out \${{ iteration }}"; echo "err \${{ iteration }}" >&2; test \${{ iteration }} -ge 2
    retry: 2
    loop: { max: 3, until: exit == 0 }
  - id: spawned
    run: ["${dir}/no-such-program"]
    continue_on_error: true
  - id: exhausted
    run: echo again
    loop: { max: 2, until: "false" }
    continue_on_error: true
  - id: gate
    run: echo "gate stderr" >&2; test -f "${dir}/fixed"
  - id: after
    run: echo never the first time
`;
}

/** report.json's steps, read back through the same checks the history rows go through. */
function reportSteps(runDir: string): StepFields[] {
  const doc = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as {
    steps: Record<string, unknown>[];
  };
  return doc.steps.map((s, i) => checkStep(new CheckedRecord(s, `report.json steps[${i}]`), ISO_TIME));
}

async function showSteps(home: string, runId: string): Promise<StepFields[]> {
  const r = await runCli(['show', runId, '--json'], { TASKER_HOME: home });
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as { steps: Record<string, unknown>[] };
  return doc.steps.map((s, i) => checkStep(new CheckedRecord(s, `show steps[${i}]`), ISO_TIME));
}

async function dbSteps(home: string, runId: string): Promise<StepFields[]> {
  const store = await openHistory(home);
  try {
    return (await store.stepsOf(runId)).map(({ seq: _seq, runId: _run, ...s }) => {
      if (s.status === 'running') throw new Error(`step ${s.id} still running`);
      return s;
    });
  } finally {
    await store.close();
  }
}

const key = (s: StepFields) => `${s.id}@${s.host ?? ''}`;

describe('a step result is the same in report.json, the history, show and a resumed run', () => {
  it('round-trips every field, attempts included, and keeps reusedFrom through a second resume', async () => {
    const w = workspace('');
    writeFileSync(w.file, workflow(w.dir));

    expect((await runCli(['run', w.file], w.env)).code).toBe(1);
    const [first] = await history(w.home);
    const fromReport = reportSteps(first!.runDir);
    expect(await dbSteps(w.home, first!.id)).toEqual(fromReport);
    expect(await showSteps(w.home, first!.id)).toEqual(fromReport);

    // The fields that drifted before: each is really set here, so the equalities above mean something.
    const byId = new Map(fromReport.map((s) => [s.id, s]));
    expect(byId.get('looped')!.attempts.map((a) => [a.iteration, a.attempt, a.status])).toEqual([
      [1, 1, 'failed'],
      [1, 2, 'failed'],
      [2, 1, 'ok'],
    ]);
    expect(byId.get('looped')!.stderrTail).toEqual(['err 2']);
    expect(byId.get('spawned')!.attempts[0]!.error?.code).toBe('spawn');
    expect(byId.get('exhausted')!.error?.code).toBe('loop-exhausted');
    expect(byId.get('after')!.skipReason).toBe('not-reached');

    // Resume twice: the gate still fails the first time, so the second resume reuses reused results.
    expect((await runCli(['run', '--resume', w.file], w.env)).code).toBe(1);
    writeFileSync(join(w.dir, 'fixed'), '');
    expect((await runCli(['run', '--resume', w.file], w.env)).code).toBe(0);
    const [third, second] = await history(w.home);
    for (const run of [second!, third!]) {
      const report = reportSteps(run.runDir);
      expect(await dbSteps(w.home, run.id)).toEqual(report);
      expect(await showSteps(w.home, run.id)).toEqual(report);
      const reused = report.filter((s) => s.reusedFrom !== null);
      expect(reused.map(key).sort()).toEqual(['exhausted@', 'looped@', 'spawned@']);
      for (const s of reused) {
        expect(s.reusedFrom).toBe(first!.id);
        const original = fromReport.find((o) => key(o) === key(s))!;
        expect({ ...s, note: original.note, reusedFrom: null }).toEqual(original);
      }
    }
  });
});
