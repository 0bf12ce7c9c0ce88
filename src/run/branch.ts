import { evaluateCondition } from '../expr/index.js';
import type { PlanNode } from '../model/plan.js';
import { describeEvalError } from './render-command.js';
import { recordBlock, recordSkip } from './results.js';
import { evalContextFor, onlyIf } from './scope.js';
import { isFailure, withoutEscape } from './status.js';
import type { Outcome, RunContext, Scope } from './types.js';

type BranchNode = Extract<PlanNode, { kind: 'branch' }>;

/**
 * `then` when the condition holds, else `else` (or nothing); the side not taken is recorded as
 * skipped. A dry run that cannot know the condition shows both sides, each marked with its condition.
 */
export async function runBranch(ctx: RunContext, node: BranchNode, scope: Scope): Promise<Outcome> {
  const startedAt = Date.now();
  const c = evaluateCondition(node.condition, evalContextFor(ctx, scope));
  if (!c.ok) {
    const message = describeEvalError(`cannot evaluate the condition of "${node.id}"`, c.error);
    recordBlock(ctx, node, 'failed', startedAt, { code: 'render', message });
    return { status: 'failed', failedStep: node.id };
  }
  if (c.unknown !== undefined) return runBothArms(ctx, node, scope, c.unknown, startedAt);
  const [chosen, other] = c.value ? [node.then, node.else] : [node.else, node.then];
  if (other) recordSkip(ctx, other, 'condition');
  const outcome: Outcome = chosen ? await ctx.runNode(chosen, scope) : { status: 'ok' };
  return settleBranch(ctx, node, chosen, outcome, startedAt);
}

async function runBothArms(
  ctx: RunContext,
  node: BranchNode,
  scope: Scope,
  condition: string,
  startedAt: number,
): Promise<Outcome> {
  const then = await ctx.runNode(node.then, onlyIf(scope, condition));
  const other = node.else ? await ctx.runNode(node.else, onlyIf(scope, `!(${condition})`)) : undefined;
  const failed = isFailure(then.status)
    ? node.then
    : other && isFailure(other.status)
      ? node.else
      : undefined;
  const outcome = failed === node.else && other ? other : then;
  return withoutEscape(settleBranch(ctx, node, failed ?? node.then, outcome, startedAt));
}

function settleBranch(
  ctx: RunContext,
  node: BranchNode,
  chosen: PlanNode | undefined,
  outcome: Outcome,
  startedAt: number,
): Outcome {
  const failed = chosen !== undefined && isFailure(outcome.status) && !chosen.continueOnError;
  const status = failed ? outcome.status : 'ok';
  recordBlock(ctx, node, status, startedAt);
  const result: Outcome = failed ? { status, failedStep: outcome.failedStep ?? chosen.id } : { status };
  const code = failed ? (chosen.failureExit ?? outcome.failureExit) : undefined;
  if (code !== undefined) result.failureExit = code;
  if (outcome.escape) result.escape = outcome.escape;
  return result;
}
