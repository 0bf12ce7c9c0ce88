import type { Plan, PlanNode } from '../model/plan.js';
import { walkPlan } from '../model/plan-walk.js';

/** True when any step runs on an ssh target, so the SSH stack (ssh2) must be loaded. */
export function planUsesSsh(plan: Plan): boolean {
  let found = false;
  walkPlan(plan.root, (node: PlanNode) => {
    if (node.kind === 'fanout' && node.targets.some((t) => t.kind === 'ssh')) found = true;
    if ((node.kind === 'command' || node.kind === 'copy') && node.target.kind === 'ssh') found = true;
  });
  return found;
}
