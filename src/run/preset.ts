import type { PlanNode } from '../model/plan.js';
import { recordSkip } from './results.js';
import { isFailure } from './status.js';
import type { Outcome, Preset, RunContext } from './types.js';

/** Records a node decided before the run: reused results stand for a run, a skip for everything inside. */
export function applyPreset(ctx: RunContext, node: PlanNode, preset: Preset): Outcome {
  if (preset.kind === 'skip') {
    recordSkip(ctx, node, preset.reason);
    return { status: 'skipped' };
  }
  for (const result of preset.results) ctx.record(result);
  ctx.views[node.id] = preset.view;
  const own = preset.results[preset.results.length - 1];
  const status = own?.status ?? 'ok';
  return isFailure(status) ? { status, failedStep: node.id } : { status };
}
