import type { StepView } from '../model/expr.js';
import type { StepResult } from '../model/result.js';
import { runCommandAttempt } from './attempt.js';
import { runCopyAttempt } from './copy.js';
import type { AttemptRun, LeafInstance, LeafNode } from './leaf.js';
import { runLoop, type LoopRun } from './loop.js';
import { runWithRetry, type RetryRun } from './retry.js';
import { bareView, hostName, scopeOnHost, unknownView } from './scope.js';
import type { Outcome, RunContext, Scope } from './types.js';

export interface LeafRun {
  result: StepResult;
  view: StepView;
}

/** A command or copy node with one target: runs it, records its result and its `steps.<id>` view. */
export async function runLeafNode(ctx: RunContext, node: LeafNode, scope: Scope): Promise<Outcome> {
  const host = hostName(node.target);
  const leaf: LeafInstance = { node, target: node.target, key: host ? `${node.id}@${host}` : node.id };
  if (host) leaf.host = host;
  const hostScope = scopeOnHost(scope, node.target);
  const { result, view } = await runLeaf(ctx, leaf, hostScope);
  ctx.views[node.id] = ctx.options.dryRun ? unknownView(view) : view;
  ctx.record(result);
  return result.status === 'ok' ? { status: 'ok' } : { status: result.status, failedStep: node.id };
}

/** Runs one instance through loop and retry; the caller records the result. */
export async function runLeaf(ctx: RunContext, leaf: LeafInstance, scope: Scope): Promise<LeafRun> {
  const startedAt = Date.now();
  const iterate = (s: Scope): Promise<RetryRun> =>
    runWithRetry(ctx, leaf, s, (n) => runAttempt(ctx, leaf, s, n));
  const loop = leaf.node.kind === 'command' ? leaf.node.spec.loop : undefined;
  const run: LoopRun = loop
    ? await runLoop(ctx, loop, scope, iterate)
    : { ...(await iterate(scope)), iterations: 1 };
  const done = leafResult(leaf, run, startedAt);
  if (scope.onlyIf) done.result.note = `dry run: runs only if ${scope.onlyIf}`;
  return done;
}

function runAttempt(ctx: RunContext, leaf: LeafInstance, scope: Scope, attempt: number): Promise<AttemptRun> {
  const { node } = leaf;
  if (node.kind === 'command') return runCommandAttempt(ctx, { ...leaf, node }, scope, attempt);
  return runCopyAttempt(ctx, { ...leaf, node }, scope, attempt);
}

function leafResult(leaf: LeafInstance, run: LoopRun, startedAt: number): LeafRun {
  const { node } = leaf;
  const last = run.runs[run.runs.length - 1];
  const first = run.runs[0];
  const endedAt = Date.now();
  const began = first?.result.startedAt ?? startedAt;
  const result: StepResult = {
    id: node.id,
    kind: node.kind,
    name: node.name,
    status: run.status,
    exitCode: last?.result.exitCode ?? null,
    signal: last?.result.signal ?? null,
    startedAt: began,
    endedAt,
    durationMs: endedAt - began,
    attempts: run.runs.map((r) => r.result),
    iterations: run.iterations,
    stderrTail: last?.stderrTail ?? [],
  };
  if (leaf.host) result.host = leaf.host;
  if (last?.display !== undefined) result.display = last.display;
  if (last?.result.stdoutFile) result.stdoutFile = last.result.stdoutFile;
  if (last?.result.stderrFile) result.stderrFile = last.result.stderrFile;
  const error = run.error ?? last?.result.error;
  if (error) result.error = error;
  if (last?.note) result.note = last.note;
  if (last?.changed !== undefined) result.changed = last.changed;
  const base = last?.view ?? bareView(run.status, result.durationMs);
  const view: StepView = {
    ...base,
    status: run.status,
    success: run.status === 'ok',
    duration: result.durationMs / 1000,
  };
  return { result, view };
}
