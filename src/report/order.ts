import type { Plan, PlanNode } from '../model/plan.js';
import { walkPlan } from '../model/plan-walk.js';
import type { StepResult } from '../model/result.js';
import { isInstanceResult, isProblem } from '../model/labels.js';

/**
 * The rows of a summary or JUnit report, in workflow and inventory order: a fan-out is listed as its
 * hosts (its own result would count a failure twice), unless no host started (skipped, jumped over).
 */
export function reportedSteps(steps: readonly StepResult[], plan: Plan | undefined): StepResult[] {
  const withHosts = new Set(steps.filter((s) => s.host !== undefined).map((s) => s.id));
  return inPlanOrder(
    steps.filter((s) => isInstanceResult(s) && (s.kind !== 'fanout' || !withHosts.has(s.id))),
    plan,
  );
}

/**
 * Step results in workflow order, hosts of a fan-out in inventory order (results arrive in end
 * order, which changes from run to run). Results the plan does not know keep their place at the end.
 */
function inPlanOrder(steps: readonly StepResult[], plan: Plan | undefined): StepResult[] {
  if (!plan) return [...steps];
  const position = new Map<string, number>();
  const hostPosition = new Map<string, number>();
  walkPlan(plan.root, (n) => {
    if (!position.has(n.id)) position.set(n.id, position.size);
    if (n.kind === 'fanout')
      n.targets.forEach((t, i) => t.kind === 'ssh' && hostPosition.set(`${n.id}@${t.name}`, i));
  });
  const key = (s: StepResult, i: number): [number, number, number] => [
    position.get(s.id) ?? Number.MAX_SAFE_INTEGER,
    s.host ? (hostPosition.get(`${s.id}@${s.host}`) ?? 0) : -1,
    i,
  ];
  return steps
    .map((s, i) => ({ s, k: key(s, i) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2])
    .map((x) => x.s);
}

/**
 * Failures the workflow tolerated: under `continue_on_error` (the step or a block around it), or a
 * fan-out host whose failure stayed within `max_failed`. Without the plan, none is known.
 */
export function toleratedFailures(steps: readonly StepResult[], plan: Plan | undefined): Set<StepResult> {
  const out = new Set<StepResult>();
  if (!plan) return out;
  const tolerant = new Set<string>();
  const visit = (n: PlanNode, inherited: boolean): void => {
    const here = inherited || n.continueOnError;
    if (here) tolerant.add(n.id);
    if (n.kind === 'sequence') [...n.children, ...n.finally].forEach((c) => visit(c, here));
    else if (n.kind === 'parallel') n.children.forEach((c) => visit(c, here));
    else if (n.kind === 'branch') [n.then, ...(n.else ? [n.else] : [])].forEach((c) => visit(c, here));
  };
  visit(plan.root, false);
  const okFanouts = new Set(steps.filter((s) => s.kind === 'fanout' && s.status === 'ok').map((s) => s.id));
  for (const s of steps) {
    if (!isProblem(s.status)) continue;
    if (tolerant.has(s.id) || (s.host !== undefined && okFanouts.has(s.id))) out.add(s);
  }
  return out;
}
