import { expect } from 'vitest';
import type { AstStep, Workflow } from '../../../src/model/ast.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { parseWorkflowText, type ParseOutput } from '../../../src/parse/index.js';

const FILE = 'test.yaml';

export function parse(text: string): ParseOutput {
  return parseWorkflowText(text, FILE);
}

/** `line:col code` for each diagnostic, sorted by position (report order is not a contract). */
export function where(ds: readonly Diagnostic[]): string[] {
  return [...ds]
    .sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col)
    .map((d) => `${d.span.line}:${d.span.col} ${d.code}`);
}

/** Parses a file expected to be free of diagnostics and returns its workflow. */
export function clean(text: string): Workflow {
  const out = parse(text);
  expect(where(out.diagnostics)).toEqual([]);
  expect(out.workflow).toBeDefined();
  return out.workflow!;
}

/** The first top-level step of a one-step workflow body (`steps:` lines indented by 2). */
export function step(body: string): AstStep {
  const wf = clean(`version: 1\nsteps:\n${body}`);
  expect(wf.steps.length).toBeGreaterThan(0);
  return wf.steps[0]!;
}

export function only<K extends AstStep['kind']>(
  s: AstStep | undefined,
  kind: K,
): Extract<AstStep, { kind: K }> {
  expect(s?.kind).toBe(kind);
  return s as Extract<AstStep, { kind: K }>;
}
