import { spawnSync } from 'node:child_process';
import type {
  Diagnostic,
  EvalContext,
  Expr,
  Span,
  StepView,
  Template,
  Value,
} from '../../../src/model/index.js';
import {
  evaluate,
  parseExpression,
  parseTemplate,
  renderTemplate,
  type Locator,
} from '../../../src/expr/index.js';

/** A locator for a one-line source starting at column 1 of line 3 in `wf.yaml`. */
export const locate: Locator = (start, end): Span => ({
  file: 'wf.yaml',
  line: 3,
  col: start + 1,
  endLine: 3,
  endCol: end + 1,
});

export function parse(source: string): Expr {
  const r = parseExpression(source, locate);
  if (!r.expr) throw new Error(`parse failed for ${source}: ${JSON.stringify(r.diagnostics)}`);
  return r.expr;
}

export function diagnosticsOf(source: string): Diagnostic[] {
  return parseExpression(source, locate).diagnostics;
}

export function template(text: string): Template {
  const r = parseTemplate(text, locate);
  if (!r.template) throw new Error(`template failed for ${text}: ${JSON.stringify(r.diagnostics)}`);
  return r.template;
}

export function view(over: Partial<StepView> = {}): StepView {
  return {
    exit: 0,
    stdout: '',
    stderr: '',
    success: true,
    status: 'ok',
    stdout_file: '/r/a.stdout',
    stderr_file: '/r/a.stderr',
    stdout_bytes: 0,
    stderr_bytes: 0,
    duration: 1.5,
    ...over,
  };
}

export function context(over: Partial<EvalContext> = {}): EvalContext {
  return { vars: {}, env: {}, steps: {}, ...over };
}

export function value(source: string, ctx: EvalContext = context()): Value {
  const r = evaluate(parse(source), ctx);
  if (!r.ok) throw new Error(`evaluation failed for ${source}: ${r.error.message}`);
  return r.value;
}

export function evalError(source: string, ctx: EvalContext = context()): { message: string; span: Span } {
  const r = evaluate(parse(source), ctx);
  if (r.ok) throw new Error(`expected an error for ${source}, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** Renders `text` in shell mode with `vars.x` set to `x`. */
export function renderShell(text: string, x: Value): string {
  const r = renderTemplate(template(text), context({ vars: { x } }), 'shell');
  if (!r.ok) throw new Error(`render failed: ${r.error.message}`);
  return r.value;
}

/** Runs a script through a real shell and returns its stdout and exit status. */
export function sh(script: string, shell = '/bin/sh'): { stdout: string; status: number | null } {
  const r = spawnSync(shell, ['-c', script], { encoding: 'utf8', timeout: 10_000 });
  return { stdout: r.stdout, status: r.status };
}

export const NASTY: readonly string[] = [
  "it's",
  'say "hi"',
  '$(rm -rf /tmp/never-created-by-tasker)',
  '`id`',
  'a | b',
  'a; b',
  'a && b',
  'line1\nline2\n',
  'two  spaces ',
  '',
  '\\',
  'trailing\\',
  "'",
  '\'\'""',
  '$HOME ${HOME} $1 $@ $*',
  '*.txt ? [a-z]',
  '~root',
  '#not-a-comment',
  '-n',
  '%s %d',
  'tab\there',
  'EOF',
  'ünïcødé ✓',
  '!history',
];
