import type { PlanNode } from '../model/plan.js';
import { recordBlock, recordSkipAll } from './results.js';
import { routeAfter } from './route.js';
import { skipReasonForAbort, statusForAbort } from './signals.js';
import { isFailure } from './status.js';
import type { Outcome, RunContext, Scope } from './types.js';

type SequenceNode = Extract<PlanNode, { kind: 'sequence' }>;

/** Children in order, then `finally` whatever happened; the root sequence is the workflow (no result of its own). */
export async function runSequence(
  ctx: RunContext,
  node: SequenceNode,
  scope: Scope,
  isRoot = false,
): Promise<Outcome> {
  const startedAt = Date.now();
  const body = await runChildren(ctx, node.children, scope);
  const fin = await runFinally(ctx, node.finally, scope);
  // The first failure decides: a failing finally fails the block only when the body was fine.
  const outcome: Outcome = isFailure(body.status) || !isFailure(fin.status) ? { ...body } : { ...fin };
  if (body.escape) outcome.escape = body.escape;
  if (!isRoot) recordBlock(ctx, node, outcome.status, startedAt);
  return outcome;
}

/**
 * Walks the children applying routing. A jump to a later sibling skips the ones between
 * (`jumped-over`); a jump to a step outside, or a return, skips the rest and leaves the block so the
 * enclosing blocks unwind, each running its `finally` on the way out.
 */
async function runChildren(ctx: RunContext, children: readonly PlanNode[], scope: Scope): Promise<Outcome> {
  let i = 0;
  while (i < children.length) {
    const child = children[i]!;
    if (scope.signal.aborted) {
      recordSkipAll(ctx, children.slice(i), skipReasonForAbort(scope.signal));
      return { status: statusForAbort(scope.signal) };
    }
    const outcome = await ctx.runNode(child, scope);
    const own = routeAfter(child, outcome.status);
    const escape = outcome.escape ?? own;
    if (escape?.kind === 'jump') {
      const target = children.findIndex((c, j) => j > i && c.id === escape.target);
      if (target >= 0) {
        recordSkipAll(ctx, children.slice(i + 1, target), 'jumped-over');
        i = target;
        continue;
      }
    }
    const failed = isFailure(outcome.status) && !child.continueOnError && !own;
    if (escape) {
      recordSkipAll(ctx, children.slice(i + 1), escape.kind === 'jump' ? 'jumped-over' : 'not-reached');
      return failed ? { ...failure(child, outcome), escape } : { status: 'ok', escape };
    }
    if (failed) {
      recordSkipAll(ctx, children.slice(i + 1), 'not-reached');
      return failure(child, outcome);
    }
    i += 1;
  }
  return { status: 'ok' };
}

/** The failure a child hands to its block; the outer node's `failure_exit` wins over an inner one. */
function failure(child: PlanNode, outcome: Outcome): Outcome {
  const out: Outcome = { status: outcome.status, failedStep: outcome.failedStep ?? child.id };
  const code = child.failureExit ?? outcome.failureExit;
  if (code !== undefined) out.failureExit = code;
  return out;
}

/**
 * Every finally step runs, even after an interrupt: they get the run's finally signal, which only the
 * hard signal or the grace period aborts. Jumps and returns inside `finally` are not followed.
 */
async function runFinally(ctx: RunContext, nodes: readonly PlanNode[], scope: Scope): Promise<Outcome> {
  const inner: Scope = { ...scope, signal: ctx.finallySignal };
  let result: Outcome = { status: 'ok' };
  for (const [i, node] of nodes.entries()) {
    if (inner.signal.aborted) {
      recordSkipAll(ctx, nodes.slice(i), 'not-reached');
      break;
    }
    const outcome = await ctx.runNode(node, inner);
    if (isFailure(outcome.status) && !node.continueOnError && !isFailure(result.status)) {
      result = { status: outcome.status, failedStep: outcome.failedStep ?? node.id };
    }
  }
  return result;
}
