import { join } from 'node:path';
import type { Reporter } from '../model/events.js';
import type { Plan, PlanNode } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import type { Preset } from '../run/index.js';
import {
  createHistoryRecorder,
  HistoryIncomplete,
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
export async function presetsFor(
  plan: Plan,
  store: HistoryStore | undefined,
  identity: WorkflowIdentity,
  o: { resume?: ResumeOptions; startFrom?: string },
): Promise<Presets> {
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
  const resume = await planResume(store, plan, identity, o.resume);
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

/**
 * The run's history writer. A database that stops answering mid-run does not stop the run: events
 * queue in order and are written when it answers again (said once each way on stderr); if it still
 * does not answer when the run ends, closing says how many step results the history lacks.
 */
export function historyReporter(
  store: HistoryStore,
  runId: string,
  warn: (m: string) => void,
  o: { runDir: string; flushTimeoutMs?: number },
): Reporter {
  let warned = false;
  const recorder = createHistoryRecorder(store, runId, {
    ...(o.flushTimeoutMs !== undefined ? { flushTimeoutMs: o.flushTimeoutMs } : {}),
    onError: (err, o) => {
      if (warned) return;
      warned = true;
      const then = o.transient
        ? `the run goes on; its events are kept in order and written when ${store.label} answers again`
        : 'the run goes on';
      warn(`${store.describe(err, 'write').message}; ${then}`);
    },
    onRecovered: () => {
      warned = false;
      warn(`the run history ${store.label} answers again: the queued events are written`);
    },
  });
  const close = recorder.close;
  return {
    ...recorder,
    close: async () => {
      try {
        await close?.();
      } catch (err) {
        if (!(err instanceof HistoryIncomplete)) throw err;
        const cause = err.cause === undefined ? '' : ` (${store.describe(err.cause, 'write').message})`;
        throw new Error(
          `the run history ${store.label} lacks ${err.unwritten} event(s) of run ${runId}, ${err.steps} of them step results: it did not take them before the run ended${cause}; ${join(o.runDir, 'report.json')} has the whole result`,
        );
      }
    },
  };
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
    await o.store
      .setAlert(
        o.result.runId,
        alerts.map((a) => `${a.channel}: ${a.ok ? 'ok' : 'failed'} (${a.detail})`).join('; '),
      )
      .catch((err: unknown) =>
        o.warn(
          `the alert outcome was not recorded: ${o.store?.describe(err, 'write').message ?? String(err)}`,
        ),
      );
  try {
    const policy = o.retention === undefined ? retentionFromEnv(o.env) : o.retention;
    if (policy) await pruneHistory(o.store, o.home, policy);
  } catch (err) {
    o.warn(`automatic retention failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return alerts;
}
