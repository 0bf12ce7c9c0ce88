import { closeSync, openSync, readSync } from 'node:fs';
import type { StepView } from '../model/expr.js';
import type { Plan, PlanNode } from '../model/plan.js';
import type { AttemptResult, StepResult, StepStatus } from '../model/result.js';
import type { Preset } from '../run/index.js';
import type { HistoryStore, RunRecord, StepRecord } from '../store/index.js';
import type { WorkflowIdentity } from './identity.js';

export type ResumeDecision =
  { kind: 'ok'; from: RunRecord; presets: Map<string, Preset> } | { kind: 'refused'; reason: string };

export interface ResumeOptions {
  /** Run id, unique prefix or `last`; default: the newest failed or interrupted run of this file and vars. */
  run?: string;
  /** Resume even though the file or vars changed since. */
  force?: boolean;
  captureLimitBytes?: number;
}

/** Picks the run to continue and turns its finished steps into `reuse` presets; or says why not. */
export function planResume(
  store: HistoryStore,
  plan: Plan,
  id: WorkflowIdentity,
  o: ResumeOptions,
): ResumeDecision {
  const picked = pickRun(store, id, o.run);
  if ('reason' in picked) return { kind: 'refused', reason: picked.reason };
  const run = picked.run;
  const refusal = checkRun(run, id, o.force === true);
  if (refusal) return { kind: 'refused', reason: refusal };
  const byId = new Map<string, StepRecord[]>();
  for (const s of store.stepsOf(run.id)) byId.set(s.stepId, [...(byId.get(s.stepId) ?? []), s]);
  const presets = new Map<string, Preset>();
  const inFinally = finallyIds(plan.root);
  const limit = o.captureLimitBytes ?? 1024 * 1024;
  visitLeaves(plan.root, (node) => {
    const rows = byId.get(node.id);
    if (!rows || inFinally.has(node.id) || !reusable(node, rows)) return;
    presets.set(node.id, reusePreset(store, node, rows, run.id, limit));
  });
  return { kind: 'ok', from: run, presets };
}

function pickRun(
  store: HistoryStore,
  id: WorkflowIdentity,
  ref?: string,
): { run: RunRecord } | { reason: string } {
  if (ref === undefined) {
    const run = store.lastFinished(id.realFile, id.varsHash);
    return run
      ? { run }
      : { reason: `no recorded run of ${id.realFile} with these --vars to resume; run it without --resume` };
  }
  const found = store.findRun(ref);
  if (found.kind === 'none') return { reason: `--resume ${ref}: no run has that id; see \`tasker history\`` };
  if (found.kind === 'ambiguous')
    return { reason: `--resume ${ref}: matches ${found.ids.join(', ')}; give more of the id` };
  return { run: found.run };
}

function checkRun(run: RunRecord, id: WorkflowIdentity, force: boolean): string | undefined {
  if (run.file !== id.realFile)
    return `run ${run.id} ran ${run.file}, not ${id.realFile}; resume it with that file`;
  if (run.status === 'running') return `run ${run.id} is still running (pid ${run.pid} on ${run.host})`;
  if (run.status === 'ok' || run.status === 'returned')
    return `run ${run.id} ended ${run.status}: nothing to resume; run the workflow without --resume`;
  if (force) return undefined;
  if (run.fileHash !== id.fileHash)
    return `${id.realFile} changed since run ${run.id}: its recorded results may not fit the steps now; pass --force to resume anyway, or run without --resume`;
  if (run.varsHash !== id.varsHash)
    return `the --vars differ from run ${run.id}'s: pass the same --var flags, or --force to resume anyway`;
  return undefined;
}

type Leaf = Extract<PlanNode, { kind: 'command' | 'copy' | 'fanout' }>;

function visitLeaves(node: PlanNode, visit: (n: Leaf) => void): void {
  switch (node.kind) {
    case 'command':
    case 'copy':
    case 'fanout':
      return visit(node);
    case 'sequence':
      return [...node.children, ...node.finally].forEach((c) => visitLeaves(c, visit));
    case 'parallel':
      return node.children.forEach((c) => visitLeaves(c, visit));
    case 'branch':
      visitLeaves(node.then, visit);
      if (node.else) visitLeaves(node.else, visit);
      return;
    case 'return':
      return;
  }
}

/** `finally` steps run again on every resume: they clean up after whatever runs now. */
function finallyIds(root: PlanNode): Set<string> {
  const ids = new Set<string>();
  const walk = (node: PlanNode, inside: boolean): void => {
    if (inside) ids.add(node.id);
    if (node.kind === 'sequence') {
      node.children.forEach((c) => walk(c, inside));
      node.finally.forEach((c) => walk(c, true));
    } else if (node.kind === 'parallel') node.children.forEach((c) => walk(c, inside));
    else if (node.kind === 'branch')
      [node.then, ...(node.else ? [node.else] : [])].forEach((c) => walk(c, inside));
  };
  walk(root, false);
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

function reusePreset(
  store: HistoryStore,
  node: Leaf,
  rows: StepRecord[],
  runId: string,
  limit: number,
): Preset {
  const own = ownRow(node, rows)!;
  const ownResult = toResult(store, own, runId);
  if (node.kind !== 'fanout') return { kind: 'reuse', results: [ownResult], view: viewOf(own, limit) };
  const instances = rows.filter((r) => r.host !== null);
  const hosts: Record<string, StepView> = {};
  for (const r of instances) hosts[r.host!] = viewOf(r, limit);
  const view: StepView = { ...viewOf(own, 0), hosts };
  return { kind: 'reuse', results: [...instances.map((r) => toResult(store, r, runId)), ownResult], view };
}

function toResult(store: HistoryStore, r: StepRecord, runId: string): StepResult {
  const ended = r.endedAt ?? r.startedAt;
  // A result reused twice still names the run that really ran it.
  const origin = /^reused from run (\S+)$/.exec(r.note ?? '')?.[1] ?? runId;
  const result: StepResult = {
    id: r.stepId,
    kind: r.kind as StepResult['kind'],
    name: r.name,
    status: r.status as StepStatus,
    exitCode: r.exitCode,
    signal: r.signal,
    startedAt: r.startedAt,
    endedAt: ended,
    durationMs: r.durationMs ?? ended - r.startedAt,
    attempts: store.attemptsOf(r.seq).map(toAttempt),
    iterations: r.iterations,
    stderrTail: [],
    note: `reused from run ${origin}`,
    reusedFrom: origin,
  };
  if (r.host !== null) result.host = r.host;
  if (r.command !== null) result.display = r.command;
  if (r.stdoutFile !== null) result.stdoutFile = r.stdoutFile;
  if (r.stderrFile !== null) result.stderrFile = r.stderrFile;
  return result;
}

function toAttempt(a: ReturnType<HistoryStore['attemptsOf']>[number]): AttemptResult {
  const out: AttemptResult = {
    attempt: a.attempt,
    iteration: a.iteration,
    status: a.status,
    exitCode: a.exitCode,
    signal: a.signal,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
    durationMs: a.durationMs,
  };
  if (a.stdoutFile !== null) out.stdoutFile = a.stdoutFile;
  if (a.stderrFile !== null) out.stderrFile = a.stderrFile;
  return out;
}

/** What `steps.<id>` showed in the earlier run: outputs read back from its files, bounded. */
function viewOf(r: StepRecord, limit: number): StepView {
  return {
    exit: r.exitCode,
    stdout: readHead(r.stdoutFile, limit),
    stderr: readHead(r.stderrFile, limit),
    success: r.status === 'ok',
    status: r.status,
    stdout_file: r.stdoutFile ?? '',
    stderr_file: r.stderrFile ?? '',
    duration: (r.durationMs ?? 0) / 1000,
  };
}

/** The first `limit` bytes, one trailing newline removed (as live capture does); '' when the file is gone. */
export function readHead(file: string | null, limit: number): string {
  if (!file || limit <= 0) return '';
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const buf = Buffer.alloc(limit);
    const n = readSync(fd, buf, 0, limit, 0);
    const text = buf.subarray(0, n).toString('utf8');
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  } finally {
    closeSync(fd);
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
