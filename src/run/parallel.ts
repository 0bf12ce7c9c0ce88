import type { PlanNode, StepId } from '../model/plan.js';
import type { StepStatus } from '../model/result.js';
import { policyHolds } from './policy.js';
import { recordBlock, recordSkip } from './results.js';
import { routeAfter } from './route.js';
import { linkedSignal, skipReasonForAbort, statusForAbort, type LinkedSignal } from './signals.js';
import { isFailure, worstFailure } from './status.js';
import type { Escape, Outcome, RunContext, Scope } from './types.js';

type ParallelNode = Extract<PlanNode, { kind: 'parallel' }>;

interface Ended {
  status: StepStatus;
  /** Counts against the policy and blocks dependents: a failure without continue_on_error, or a skip caused by one. */
  bad: boolean;
  failedStep?: StepId;
}

interface Run {
  ctx: RunContext;
  node: ParallelNode;
  block: LinkedSignal;
  scope: Scope;
  pending: PlanNode[];
  running: Map<StepId, Promise<void>>;
  ended: Map<StepId, Ended>;
  /** In end order, for the failing step to report. */
  badOrder: Ended[];
  escape?: Escape;
}

/**
 * A DAG scheduler: a child starts once every sibling it `needs` has ended, at most `max` at once.
 * A child whose need failed is skipped (`upstream-failed`). With fail_fast, the block's own signal
 * is aborted as soon as the policy can no longer be met: running children are cancelled and the
 * rest skipped (`cancelled`).
 */
export async function runParallel(ctx: RunContext, node: ParallelNode, scope: Scope): Promise<Outcome> {
  const startedAt = Date.now();
  const block = linkedSignal([scope.signal]);
  const run: Run = {
    ctx,
    node,
    block,
    scope: { ...scope, signal: block.signal },
    pending: [...node.children],
    running: new Map(),
    ended: new Map(),
    badOrder: [],
  };
  try {
    for (;;) {
      startReady(run);
      if (run.running.size === 0) break;
      await Promise.race(run.running.values());
    }
  } finally {
    block.dispose();
  }
  // Only needs that can never be met are left: the plan rejects those, so this is a guard.
  for (const child of run.pending) end(run, child, { status: 'skipped', bad: true }, 'not-reached');
  const outcome = verdict(run);
  recordBlock(ctx, node, outcome.status, startedAt);
  if (run.escape) outcome.escape = run.escape;
  return outcome;
}

function startReady(run: Run): void {
  const siblings = new Set(run.node.children.map((c) => c.id));
  let changed = true;
  while (changed) {
    changed = false;
    for (const child of [...run.pending]) {
      if (run.block.signal.aborted) {
        end(run, child, { status: 'skipped', bad: true }, skipReasonForAbort(run.block.signal));
        changed = true;
        continue;
      }
      const needs = child.needs.filter((id) => siblings.has(id));
      if (!needs.every((id) => run.ended.has(id))) continue;
      if (needs.some((id) => run.ended.get(id)?.bad)) {
        end(run, child, { status: 'skipped', bad: true }, 'upstream-failed');
        changed = true;
      } else if (run.node.max === 0 || run.running.size < run.node.max) {
        start(run, child);
      }
    }
  }
}

function start(run: Run, child: PlanNode): void {
  run.pending.splice(run.pending.indexOf(child), 1);
  const done = run.ctx.runNode(child, run.scope).then((outcome) => {
    run.running.delete(child.id);
    run.escape ??= outcome.escape ?? routeAfter(child, outcome.status);
    const bad = isFailure(outcome.status) && !child.continueOnError;
    end(run, child, { status: outcome.status, bad, failedStep: outcome.failedStep ?? child.id });
  });
  run.running.set(child.id, done);
}

/** Marks a child ended; a skip reason means it never ran and is recorded here. */
function end(run: Run, child: PlanNode, ended: Ended, skipReason?: Parameters<typeof recordSkip>[2]): void {
  if (skipReason) {
    const i = run.pending.indexOf(child);
    if (i >= 0) run.pending.splice(i, 1);
    recordSkip(run.ctx, child, skipReason);
  }
  run.ended.set(child.id, ended);
  if (ended.bad) run.badOrder.push(ended);
  const { node } = run;
  if (
    node.failFast &&
    !run.block.signal.aborted &&
    !policyHolds(node.policy, node.children.length, run.badOrder.length)
  ) {
    run.block.abort({ kind: 'cancel', why: 'fail-fast' });
  }
}

function verdict(run: Run): Outcome {
  const { node } = run;
  if (policyHolds(node.policy, node.children.length, run.badOrder.length)) return { status: 'ok' };
  const statuses = run.badOrder.map((e) => e.status);
  const anyFailure = statuses.some(isFailure);
  const status = anyFailure
    ? worstFailure(statuses)
    : run.scope.signal.aborted
      ? statusForAbort(run.scope.signal)
      : 'failed';
  const culprit = run.badOrder.find((e) => e.status === status) ?? run.badOrder[0];
  return culprit?.failedStep ? { status, failedStep: culprit.failedStep } : { status };
}
