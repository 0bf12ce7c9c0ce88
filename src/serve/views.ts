import { publicRun } from '../api/history.js';
import { stepJson } from '../model/result-json.js';
import type { RunRecord, StepRecord } from '../store/index.js';
import type { RunView, StepView } from './api-types.js';

export function runView(r: RunRecord): RunView {
  return publicRun(r) as unknown as RunView;
}

/** A step row through the model's codec: the same fields report.json and `show --json` print, plus `seq`. */
export function stepView(s: StepRecord): StepView {
  const { seq, runId: _run, ...fields } = s;
  return { seq, ...stepJson(fields) };
}

/** Hosts in the order they first appear among the steps (the run's fan-out order). */
export function hostsOf(steps: readonly StepRecord[]): string[] {
  const seen = new Set<string>();
  for (const s of steps) if (s.host !== null) seen.add(s.host);
  return [...seen];
}

/** Changes to a step's row that a watcher must push. */
export function stepSignature(s: StepRecord): string {
  return `${s.status}|${s.endedAt ?? ''}|${s.exitCode ?? ''}|${s.stdoutFile ?? ''}|${s.attempts.length}`;
}
