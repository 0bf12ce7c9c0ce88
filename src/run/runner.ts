import { evaluateCondition } from '../expr/index.js';
import type { PlanNode } from '../model/plan.js';
import { runBranch } from './branch.js';
import { runLeafNode } from './command.js';
import { sleep } from './delay.js';
import { runFanout } from './fanout.js';
import { runParallel } from './parallel.js';
import { applyPreset } from './preset.js';
import { describeEvalError } from './render-command.js';
import { recordBlock, recordSkip } from './results.js';
import { evalContextFor, onlyIf } from './scope.js';
import { withoutEscape } from './status.js';
import { runSequence } from './sequence.js';
import { linkedSignal, skipReasonForAbort } from './signals.js';
import type { Outcome, RunContext, Scope } from './types.js';

/** Runs any node: `when`, the node itself, then its `sleep`. Containers apply the routing. */
export async function runNode(ctx: RunContext, node: PlanNode, scope: Scope): Promise<Outcome> {
  if (scope.signal.aborted) {
    recordSkip(ctx, node, skipReasonForAbort(scope.signal));
    return { status: 'skipped' };
  }
  const preset = ctx.options.preset?.(node);
  if (preset) return applyPreset(ctx, node, preset);
  // A fan-out judges `when` per host instead.
  let inner = scope;
  if (node.when && node.kind !== 'fanout') {
    const startedAt = Date.now();
    const c = evaluateCondition(node.when, evalContextFor(ctx, scope));
    if (!c.ok) {
      recordBlock(ctx, node, 'failed', startedAt, {
        code: 'render',
        message: describeEvalError('cannot evaluate when', c.error),
      });
      return { status: 'failed', failedStep: node.id };
    }
    if (c.unknown !== undefined) inner = onlyIf(scope, c.unknown);
    else if (!c.value) {
      recordSkip(ctx, node, 'condition');
      return { status: 'skipped' };
    }
  }
  const outcome = await dispatch(ctx, node, inner);
  if (node.sleepMs > 0 && outcome.status !== 'skipped') await sleep(node.sleepMs, scope.signal);
  // A dry run shows what follows a step that may not run, rather than guess its routing.
  return inner !== scope ? withoutEscape(outcome) : outcome;
}

function dispatch(ctx: RunContext, node: PlanNode, scope: Scope): Promise<Outcome> {
  switch (node.kind) {
    case 'command':
    case 'copy':
      return runLeafNode(ctx, node, scope);
    case 'fanout':
      return runFanout(ctx, node, scope);
    case 'sequence':
      return withTimeout(node.timeoutMs, scope, (s) => runSequence(ctx, node, s));
    case 'parallel':
      return withTimeout(node.timeoutMs, scope, (s) => runParallel(ctx, node, s));
    case 'branch':
      return withTimeout(node.timeoutMs, scope, (s) => runBranch(ctx, node, s));
    case 'return':
      recordBlock(ctx, node, 'ok', Date.now());
      return Promise.resolve({ status: 'ok', escape: { kind: 'return', code: node.code } });
  }
}

/** A block's `timeout` covers everything inside it: children still running then end as timed-out. */
export async function withTimeout<T>(
  timeoutMs: number | null,
  scope: Scope,
  body: (scope: Scope) => Promise<T>,
): Promise<T> {
  if (timeoutMs === null) return body(scope);
  const linked = linkedSignal([scope.signal], timeoutMs);
  try {
    return await body({ ...scope, signal: linked.signal });
  } finally {
    linked.dispose();
  }
}
