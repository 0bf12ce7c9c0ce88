import type { Reporter } from '../model/events.js';
import type { Plan, PlanNode } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import type { Preset } from '../run/index.js';
import {
  createHistoryRecorder,
  describeFault,
  ELSEWHERE,
  pruneHistory,
  retentionFromEnv,
  type HistoryStore,
  type RetentionPolicy,
} from '../store/index.js';
import type { WorkflowIdentity } from './identity.js';
import { sendAlerts, type AlertOutcome } from './notify.js';
import { planResume, planStartFrom, type ResumeOptions } from './resume.js';

export type Presets =
  | {
      kind: 'ok';
      preset?: (node: PlanNode) => Preset | undefined;
      resumedFrom?: string;
      /** `--resume` found nothing to resume and a normal run starts: the one line that says so. */
      notice?: string;
    }
  | { kind: 'refused'; reason: string };

/** `--resume` reuses recorded results, `--start-from` skips the top-level steps before; together, reuse wins. */
export function presetsFor(
  plan: Plan,
  store: HistoryStore | undefined,
  identity: WorkflowIdentity,
  o: { resume?: ResumeOptions; startFrom?: string },
): Presets {
  let skip = new Set<string>();
  if (o.startFrom !== undefined) {
    const start = planStartFrom(plan, o.startFrom);
    if (start.kind === 'refused') return start;
    skip = start.skip;
  }
  if (!o.resume || !store) {
    const preset = startFromPreset(skip);
    return preset ? { kind: 'ok', preset } : { kind: 'ok' };
  }
  const resume = planResume(store, plan, identity, o.resume);
  if (resume.kind === 'refused') return resume;
  if (resume.kind === 'fresh') {
    const preset = startFromPreset(skip);
    return { kind: 'ok', notice: resume.reason, ...(preset ? { preset } : {}) };
  }
  return {
    kind: 'ok',
    resumedFrom: resume.from.id,
    preset: (node) =>
      resume.presets.get(node.id) ?? (skip.has(node.id) ? { kind: 'skip', reason: 'start-from' } : undefined),
  };
}

function startFromPreset(skip: ReadonlySet<string>): ((node: PlanNode) => Preset | undefined) | undefined {
  if (skip.size === 0) return undefined;
  return (node) => (skip.has(node.id) ? { kind: 'skip', reason: 'start-from' } : undefined);
}

export function historyReporter(store: HistoryStore, runId: string, warn: (m: string) => void): Reporter {
  let warned = false;
  return createHistoryRecorder(store, runId, (err) => {
    if (warned) return;
    warned = true;
    warn(`${describeFault(err, 'write the run history', store.file, ELSEWHERE).message}; the run goes on`);
  });
}

/** After the run: alerts (recorded in the history, never changing the exit code), then retention. */
export async function afterRun(o: {
  plan: Plan;
  result: RunResult;
  reportJson: string;
  reportFile: string;
  logFile: string;
  env: Readonly<Record<string, string | undefined>>;
  store?: HistoryStore;
  home: string;
  notify: boolean;
  retention?: RetentionPolicy | false;
  warn: (m: string) => void;
}): Promise<AlertOutcome[]> {
  const alerts = o.notify ? await sendAlerts(o) : [];
  if (!o.store) return alerts;
  if (alerts.length > 0)
    o.store.setAlert(
      o.result.runId,
      alerts.map((a) => `${a.channel}: ${a.ok ? 'ok' : 'failed'} (${a.detail})`).join('; '),
    );
  try {
    const policy = o.retention === undefined ? retentionFromEnv(o.env) : o.retention;
    if (policy) await pruneHistory(o.store, o.home, policy);
  } catch (err) {
    o.warn(`automatic retention failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return alerts;
}
