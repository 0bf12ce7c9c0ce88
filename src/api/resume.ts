import { statSync } from 'node:fs';
import type { StepView } from '../model/expr.js';
import { stepNodes, walkPlan } from '../model/plan-walk.js';
import type { Plan, PlanNode } from '../model/plan.js';
import { decodeStep } from '../model/result-codec.js';
import type { StepResult } from '../model/result.js';
import { readCapture, replayCapture } from '../output/index.js';
import type { Preset } from '../run/index.js';
import type { HistoryStore, RunRecord, StepRecord } from '../store/index.js';
import { stepStream } from './history.js';
import type { WorkflowIdentity } from './identity.js';

/**
 * `fresh`: `--resume` without a run id found nothing to resume (the last run succeeded, none is
 * recorded, or the file changed since): a normal run starts, and `reason` says so in one line.
 */
export type ResumeDecision =
  | { kind: 'ok'; from: RunRecord; presets: Map<string, Preset> }
  | { kind: 'fresh'; reason: string }
  | { kind: 'refused'; reason: string };

export interface ResumeOptions {
  /** Run id, unique prefix or `last`; default: the newest failed or interrupted run of this file and vars. */
  run?: string;
  /** Resume even though the file or vars changed since. */
  force?: boolean;
  captureLimitBytes?: number;
}

/** Picks the run to continue and turns its finished steps into `reuse` presets; or says why not. */
export async function planResume(
  store: HistoryStore,
  plan: Plan,
  id: WorkflowIdentity,
  o: ResumeOptions,
): Promise<ResumeDecision> {
  const picked = await pickRun(store, id, o.run);
  // In a crontab, `--resume` must keep working after a success: only a named run is refused.
  if ('reason' in picked) return { kind: o.run === undefined ? 'fresh' : 'refused', reason: picked.reason };
  const run = picked.run;
  const refusal = checkRun(run, id, o.force === true, o.run !== undefined);
  if (refusal)
    return { kind: o.run === undefined && refusal.fresh ? 'fresh' : 'refused', reason: refusal.reason };
  const byId = new Map<string, StepRecord[]>();
  for (const s of await store.stepsOf(run.id)) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  const presets = new Map<string, Preset>();
  const inFinally = finallyIds(plan.root);
  const limit = o.captureLimitBytes ?? 1024 * 1024;
  for (const node of stepNodes(plan.root)) {
    const rows = byId.get(node.id);
    if (node.kind === 'return' || !rows || inFinally.has(node.id) || !reusable(node, rows)) continue;
    presets.set(node.id, await reusePreset(store, node, rows, run.id, limit));
  }
  return { kind: 'ok', from: run, presets };
}

async function pickRun(
  store: HistoryStore,
  id: WorkflowIdentity,
  ref?: string,
): Promise<{ run: RunRecord } | { reason: string }> {
  if (ref === undefined) {
    const run = await store.lastFinished(id.realFile, id.varsHash);
    return run
      ? { run }
      : {
          reason: `nothing to resume: no recorded run of ${id.realFile} with these --vars; starting a normal run`,
        };
  }
  const found = await store.findRun(ref);
  if (found.kind === 'none') return { reason: `--resume ${ref}: no run has that id; see \`tasker history\`` };
  if (found.kind === 'ambiguous')
    return { reason: `--resume ${ref}: matches ${found.ids.join(', ')}; give more of the id` };
  return { run: found.run };
}

/**
 * Why `run` cannot be resumed. `fresh`: with no run id named, a normal run is the right thing
 * instead (the last run succeeded, or the file was changed since, e.g. to fix it).
 */
function checkRun(
  run: RunRecord,
  id: WorkflowIdentity,
  force: boolean,
  named: boolean,
): { reason: string; fresh: boolean } | undefined {
  const no = (reason: string) => ({ reason, fresh: false });
  const fresh = (reason: string) => ({ reason, fresh: true });
  if (run.file !== id.realFile)
    return no(`run ${run.id} ran ${run.file}, not ${id.realFile}; resume it with that file`);
  if (run.status === 'running') return no(`run ${run.id} is still running (pid ${run.pid} on ${run.host})`);
  if (run.status === 'ok' || run.status === 'returned')
    return named
      ? no(`run ${run.id} ended ${run.status}: nothing to resume; run the workflow without --resume`)
      : fresh(`nothing to resume: the last run ${run.id} ended ${run.status}; starting a normal run`);
  if (force) return undefined;
  if (run.fileHash !== id.fileHash)
    return named
      ? no(
          `${id.realFile} changed since run ${run.id}: its recorded results may not fit the steps now; pass --force to resume anyway, or run without --resume`,
        )
      : fresh(
          `${id.realFile} changed since run ${run.id}: starting a normal run (--resume ${run.id} --force would reuse its results)`,
        );
  if (run.varsHash !== id.varsHash)
    return no(
      `the --vars differ from run ${run.id}'s: pass the same --var flags, or --force to resume anyway`,
    );
  return undefined;
}

type Leaf = Extract<PlanNode, { kind: 'command' | 'copy' | 'fanout' }>;

/** `finally` steps run again on every resume: they clean up after whatever runs now. */
function finallyIds(root: PlanNode): Set<string> {
  const ids = new Set<string>();
  walkPlan(root, (node) => {
    if (node.kind === 'sequence') for (const f of node.finally) walkPlan(f, (n) => ids.add(n.id));
  });
  return ids;
}

/** Finished: ok, or failed in a way the workflow tolerated (`continue_on_error`). */
function reusable(node: Leaf, rows: StepRecord[]): boolean {
  const own = ownRow(node, rows);
  if (!own) return false;
  if (own.status === 'ok') return true;
  const tolerated: readonly string[] = ['failed', 'timed-out', 'unreachable'];
  return node.continueOnError && tolerated.includes(own.status);
}

function ownRow(node: Leaf, rows: StepRecord[]): StepRecord | undefined {
  const own = node.kind === 'fanout' ? rows.filter((r) => r.host === null) : rows;
  return own[own.length - 1];
}

async function reusePreset(
  store: HistoryStore,
  node: Leaf,
  rows: StepRecord[],
  runId: string,
  limit: number,
): Promise<Preset> {
  const own = ownRow(node, rows)!;
  const ownResult = reused(own, runId);
  const read = (r: StepRecord, max: number) => viewOf(store, r, max);
  if (node.kind !== 'fanout') return { kind: 'reuse', results: [ownResult], view: await read(own, limit) };
  const instances = rows.filter((r) => r.host !== null);
  const hosts: Record<string, StepView> = {};
  for (const r of instances) hosts[r.host!] = await read(r, limit);
  const view: StepView = { ...(await read(own, 0)), hosts };
  return { kind: 'reuse', results: [...instances.map((r) => reused(r, runId)), ownResult], view };
}

/** The recorded result as this run reports it: every field as recorded, marked as reused. */
function reused(r: StepRecord, runId: string): StepResult {
  const { seq: _seq, runId: _run, ...fields } = r;
  // A result reused twice still names the run that really ran it.
  const origin = r.reusedFrom ?? runId;
  const ended =
    fields.status === 'running'
      ? { ...fields, status: 'cancelled' as const, endedAt: fields.startedAt, durationMs: 0 }
      : fields;
  return decodeStep({ ...ended, note: `reused from run ${origin}`, reusedFrom: origin });
}

/**
 * What `steps.<id>` showed in the earlier run: outputs read back, head and tail as live, from the
 * files when they are on this box, else from the copy the store keeps (a run made on another box).
 */
async function viewOf(store: HistoryStore, r: StepRecord, limit: number): Promise<StepView> {
  const stdout = await recorded(store, r, 'stdout', limit);
  const stderr = await recorded(store, r, 'stderr', limit);
  return {
    exit: r.exitCode,
    stdout: stdout.text,
    stderr: stderr.text,
    success: r.status === 'ok',
    status: r.status,
    stdout_file: r.stdoutFile ?? '',
    stderr_file: r.stderrFile ?? '',
    stdout_bytes: stdout.bytes,
    stderr_bytes: stderr.bytes,
    duration: (r.durationMs ?? 0) / 1000,
  };
}

/** A recorded stream as expressions see it, and its whole size (0 when nothing is kept anywhere). */
async function recorded(
  store: HistoryStore,
  r: StepRecord,
  stream: 'stdout' | 'stderr',
  limit: number,
): Promise<{ text: string; bytes: number }> {
  const where = await stepStream(store, r, stream);
  if (where.kind === 'none') return { text: '', bytes: 0 };
  if (where.kind === 'stored') {
    const kept = replayCapture(where.output.spans, limit);
    return { text: kept.text, bytes: kept.bytes };
  }
  return { text: readCapture(where.file, limit).text, bytes: fileSize(where.file) };
}

/** The size of a recorded output file; 0 when it is gone. */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** `--start-from STEP`: the top-level steps before STEP are skipped (`start-from`). */
export function planStartFrom(
  plan: Plan,
  stepId: string,
): { kind: 'ok'; skip: Set<string> } | { kind: 'refused'; reason: string } {
  const top = plan.root.children.map((c) => c.id);
  const at = top.indexOf(stepId);
  if (at < 0)
    return {
      kind: 'refused',
      reason: `--start-from ${stepId}: not a top-level step of ${plan.file}; top-level steps are: ${top.join(', ')}`,
    };
  return { kind: 'ok', skip: new Set(top.slice(0, at)) };
}
