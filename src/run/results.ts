import { childrenOf, isStepNode } from '../model/plan-walk.js';
import type { PlanNode } from '../model/plan.js';
import type { SkipReason, StepError, StepResult, StepStatus } from '../model/result.js';
import { bareView } from './scope.js';
import type { RunContext } from './types.js';

/** A result without attempts: blocks, skipped steps, `return`. */
export function plainResult(
  node: PlanNode,
  status: StepStatus,
  startedAt: number,
  endedAt = Date.now(),
): StepResult {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    status,
    exitCode: null,
    signal: null,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    attempts: [],
    iterations: 0,
    stderrTail: [],
  };
}

/** Records the end of a block (or `return`) and its `steps.<id>` view. */
export function recordBlock(
  ctx: RunContext,
  node: PlanNode,
  status: StepStatus,
  startedAt: number,
  error?: StepError,
): void {
  const result = plainResult(node, status, startedAt);
  if (error) result.error = { code: error.code, message: ctx.masker.mask(error.message) };
  ctx.views[node.id] = bareView(status, result.durationMs);
  ctx.record(result);
}

/** Records a node that will not run, and everything inside it (inner steps first, as they would end). */
export function recordSkip(ctx: RunContext, node: PlanNode, reason: SkipReason): void {
  // A fan-out's template is not recorded: it never runs as itself.
  if (!isStepNode(node)) for (const child of childrenOf(node)) recordSkip(ctx, child, reason);
  const now = Date.now();
  const result = plainResult(node, 'skipped', now, now);
  result.skipReason = reason;
  const view = bareView('skipped', 0);
  if (node.kind === 'fanout') view.hosts = {};
  ctx.views[node.id] = view;
  ctx.record(result);
}

export function recordSkipAll(ctx: RunContext, nodes: readonly PlanNode[], reason: SkipReason): void {
  for (const node of nodes) recordSkip(ctx, node, reason);
}
