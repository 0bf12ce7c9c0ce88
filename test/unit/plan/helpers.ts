import { expect } from 'vitest';
import type { Workflow } from '../../../src/model/ast.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Plan, PlanNode } from '../../../src/model/plan.js';
import { walkPlan } from '../../../src/model/plan-walk.js';
import { buildPlan, type PlanOptions } from '../../../src/plan/index.js';

export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** Builds a plan that must have no error. */
export function okPlan(wf: Workflow, options?: PlanOptions): Plan {
  const result = buildPlan(wf, options);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.plan).toBeDefined();
  return result.plan!;
}

/** The diagnostics of a workflow that must fail planning. */
export function errors(wf: Workflow, options?: PlanOptions): Diagnostic[] {
  const result = buildPlan(wf, options);
  expect(result.plan).toBeUndefined();
  return result.diagnostics.filter((d) => d.severity === 'error');
}

export function nodeById(plan: Plan, id: string): PlanNode {
  let found: PlanNode | undefined;
  walkPlan(plan.root, (n) => {
    if (n.id === id && found === undefined) found = n;
  });
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

export function ids(plan: Plan): string[] {
  const out: string[] = [];
  walkPlan(plan.root, (n) => out.push(n.id));
  return out;
}
