import { loadWorkflowFile } from '../parse/index.js';
import { buildPlan, type PlanOptions } from '../plan/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Workflow } from '../model/ast.js';
import type { Plan } from '../model/plan.js';

export interface Validation {
  /** Set only when there is no error. */
  plan?: Plan;
  workflow?: Workflow;
  /** Every problem of the file (and its inventory), errors and warnings, sorted by position. */
  diagnostics: Diagnostic[];
}

/** Parse and plan a workflow file without running anything or connecting anywhere. */
export async function validateWorkflowFile(path: string, options: PlanOptions = {}): Promise<Validation> {
  const parsed = await loadWorkflowFile(path);
  if (!parsed.workflow) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const planned = buildPlan(parsed.workflow, options);
  const diagnostics = sortDiagnostics(dedupe([...parsed.diagnostics, ...planned.diagnostics]));
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return hasError || !planned.plan
    ? { workflow: parsed.workflow, diagnostics }
    : { plan: planned.plan, workflow: parsed.workflow, diagnostics };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.line - b.span.line || a.span.col - b.span.col,
  );
}

// A partial AST can make plan repeat a problem parse already reported at the same place.
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}:${d.span.file}:${d.span.line}:${d.span.col}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
