import { evaluateCondition } from '../expr/index.js';
import type { StepView } from '../model/expr.js';
import type { PlanNode, Target } from '../model/plan.js';
import type { SkipReason, StepError, StepResult, StepStatus } from '../model/result.js';
import { runLeaf } from './command.js';
import type { LeafInstance } from './leaf.js';
import { describeEvalError } from './render-command.js';
import { plainResult, recordSkip } from './results.js';
import { bareView, evalContextFor, hostName, onlyIf, scopeOnHost, unknownView } from './scope.js';
import { skipReasonForAbort } from './signals.js';
import { isFailure, worstFailure } from './status.js';
import type { Outcome, RunContext, Scope } from './types.js';

type FanoutNode = Extract<PlanNode, { kind: 'fanout' }>;

interface Tally {
  hosts: Record<string, StepView>;
  statuses: StepStatus[];
  failures: number;
}

/**
 * One instance per target, at most `maxParallel` at once (0 = all). Once failures exceed
 * `maxFailed` no new instance starts (the rest are skipped as cancelled); running ones finish.
 * The step is ok when failures stay within `maxFailed`.
 */
export async function runFanout(ctx: RunContext, node: FanoutNode, scope: Scope): Promise<Outcome> {
  const startedAt = Date.now();
  // No targets left (all filtered out by --limit): nothing to do.
  if (node.targets.length === 0) {
    recordSkip(ctx, node, 'condition');
    return { status: 'skipped' };
  }
  const tally: Tally = { hosts: {}, statuses: [], failures: 0 };
  const queue = [...node.targets];
  const width = node.maxParallel > 0 ? Math.min(node.maxParallel, queue.length) : queue.length;
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      if (scope.signal.aborted) skipInstance(ctx, node, target, tally, skipReasonForAbort(scope.signal));
      else if (tally.failures > node.maxFailed) skipInstance(ctx, node, target, tally, 'cancelled');
      else await runInstance(ctx, node, target, scope, tally);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return finishFanout(ctx, node, tally, startedAt);
}

async function runInstance(
  ctx: RunContext,
  node: FanoutNode,
  target: Target,
  scope: Scope,
  tally: Tally,
): Promise<void> {
  const name = hostName(target) ?? 'local';
  let instScope = scopeOnHost(scope, target);
  // `when` is judged per host, so it may use host.*.
  const when = node.when ?? node.template.when;
  if (when) {
    const c = evaluateCondition(when, evalContextFor(ctx, instScope));
    if (!c.ok) {
      const error: StepError = {
        code: 'render',
        message: ctx.masker.mask(describeEvalError('cannot evaluate when', c.error)),
      };
      return failInstance(ctx, node, name, tally, error);
    }
    if (c.unknown !== undefined) instScope = onlyIf(instScope, c.unknown);
    else if (!c.value) return skipInstance(ctx, node, target, tally, 'condition');
  }
  const leaf: LeafInstance = {
    node: { ...node.template, id: node.id, name: node.name },
    target,
    host: name,
    key: `${node.id}@${name}`,
  };
  const { result, view } = await runLeaf(ctx, leaf, instScope);
  tally.hosts[name] = ctx.options.dryRun ? unknownView(view) : view;
  count(tally, result.status);
  ctx.record(result);
}

function instanceResult(node: FanoutNode, name: string, status: StepStatus): StepResult {
  return { ...plainResult(node.template, status, Date.now()), id: node.id, name: node.name, host: name };
}

function skipInstance(
  ctx: RunContext,
  node: FanoutNode,
  target: Target,
  tally: Tally,
  reason: SkipReason,
): void {
  const name = hostName(target) ?? 'local';
  const result = instanceResult(node, name, 'skipped');
  result.skipReason = reason;
  tally.hosts[name] = bareView('skipped', 0);
  // Not reached because of an abort counts against the fan-out; a false `when` does not.
  count(tally, reason === 'condition' ? 'skipped' : 'cancelled');
  ctx.record(result);
}

function failInstance(ctx: RunContext, node: FanoutNode, name: string, tally: Tally, error: StepError): void {
  const result = instanceResult(node, name, 'failed');
  result.error = error;
  tally.hosts[name] = bareView('failed', 0);
  count(tally, 'failed');
  ctx.record(result);
}

function count(tally: Tally, status: StepStatus): void {
  tally.statuses.push(status);
  if (isFailure(status)) tally.failures += 1;
}

function finishFanout(ctx: RunContext, node: FanoutNode, tally: Tally, startedAt: number): Outcome {
  const allSkipped = tally.statuses.every((s) => s === 'skipped');
  const status: StepStatus = allSkipped
    ? 'skipped'
    : tally.failures <= node.maxFailed
      ? 'ok'
      : worstFailure(tally.statuses);
  const exits = Object.values(tally.hosts).map((v) => v.exit ?? 0);
  // The fan-out's exit is the worst (largest) non-zero instance exit, else 0.
  const exit = Math.max(0, ...exits);
  const result = plainResult(node, status, startedAt);
  if (allSkipped) result.skipReason = 'condition';
  const view = { ...bareView(status, result.durationMs, exit), hosts: tally.hosts };
  ctx.views[node.id] = ctx.options.dryRun ? unknownView(view) : view;
  ctx.record(result);
  return isFailure(status) ? { status, failedStep: node.id } : { status };
}
