import { publicRun } from '../api/history.js';
import type { RunRecord, StepRecord } from '../store/index.js';
import type { RunView, StepView } from './api-types.js';

export function runView(r: RunRecord): RunView {
  return publicRun(r) as unknown as RunView;
}

export function stepView(s: StepRecord): StepView {
  return {
    seq: s.seq,
    id: s.id,
    host: s.host,
    kind: s.kind,
    name: s.name,
    status: s.status,
    exitCode: s.exitCode,
    signal: s.signal,
    startedAt: new Date(s.startedAt).toISOString(),
    endedAt: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
    durationMs: s.durationMs,
    command: s.display,
    skipReason: s.skipReason,
    error: s.error,
    note: s.note,
    iterations: s.iterations,
  };
}

/** Hosts in the order they first appear among the steps (the run's fan-out order). */
export function hostsOf(steps: readonly StepRecord[]): string[] {
  const seen = new Set<string>();
  for (const s of steps) if (s.host !== null) seen.add(s.host);
  return [...seen];
}

/** Changes to a step's row that a watcher must push. */
export function stepSignature(s: StepRecord): string {
  return `${s.status}|${s.endedAt ?? ''}|${s.exitCode ?? ''}|${s.stdoutFile ?? ''}`;
}
