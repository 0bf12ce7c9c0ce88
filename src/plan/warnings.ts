import { collectRefs } from '../expr/index.js';
import type { AstStep, Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { planWarning } from './diagnostics.js';
import type { ScopedExpr } from './exprs.js';
import { childLists, type StepIndex } from './ids.js';

/** Steps after an unconditional `return` in the same list that no jump reaches. */
export function findUnreachable(workflow: Workflow, index: StepIndex): Diagnostic[] {
  const targets = new Set<string>();
  for (const info of index.all) {
    if (info.step.onSuccess) targets.add(info.step.onSuccess.value);
    if (info.step.onFailure) targets.add(info.step.onFailure.value);
  }
  const lists: AstStep[][] = [workflow.steps, workflow.finally];
  for (const info of index.all) for (const [, list] of childLists(info.step)) lists.push(list);
  const out: Diagnostic[] = [];
  for (const list of lists) {
    let live = true;
    let returnLine = 0;
    for (const step of list) {
      if (step.id && targets.has(step.id.value)) live = true;
      if (!live) {
        const hint = `the return on line ${returnLine} always ends the workflow; jump here with on_success/on_failure or remove the step`;
        out.push(planWarning('unreachable-step', 'this step can never run', step.keySpan, hint));
      }
      if (live && step.kind === 'return' && !step.when) {
        live = false;
        returnLine = step.span.line;
      }
    }
  }
  return out;
}

/** Vars declared in the file that no expression, template or host var reads. */
export function findUnusedVars(workflow: Workflow, exprs: readonly ScopedExpr[]): Diagnostic[] {
  const used = new Set<string>();
  for (const { x } of exprs) {
    for (const ref of collectRefs(x)) {
      const name = ref.path[0];
      if (ref.root === 'vars' && name !== undefined) used.add(name);
    }
  }
  return workflow.vars
    .filter((v) => !used.has(v.name.value))
    .map((v) =>
      planWarning(
        'unused-var',
        `var "${v.name.value}" is never used`,
        v.name.span,
        `use it as \${{ vars.${v.name.value} }} or remove it`,
      ),
    );
}
