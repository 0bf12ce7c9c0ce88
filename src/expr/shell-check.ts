import type { DiagCode, Diagnostic } from '../model/diagnostic.js';
import type { Expr, Template } from '../model/expr.js';

import { formatExpr } from './format.js';
import { errorAt, type Locator } from './locator.js';
import { placeShell, type PlaceProblem, type Segment, type ShellLayout } from './shell-place.js';

export interface ShellProblem {
  code: DiagCode;
  message: string;
  hint: string;
  /** The template part the problem is in, and the offset inside its text (0 for a `${{ }}` part). */
  part: number;
  offset: number;
}

const layouts = new WeakMap<Template, ShellLayout>();

/** True when the template has a `${{ }}` value that must be placed in the script. */
function hasShellValues(t: Template): boolean {
  return t.parts.some((p) => p.kind === 'expr' && !p.raw);
}

/**
 * The layout of a `run:` script template. Without raw() parts it depends only on the template, so it
 * is computed once and shared by validate, plan and every run of the step.
 */
export function shellLayout(t: Template, rawTexts?: ReadonlyMap<number, string>): ShellLayout {
  const cached = rawTexts === undefined || rawTexts.size === 0 ? layouts.get(t) : undefined;
  if (cached) return cached;
  const segments: Segment[] = t.parts.map((p, i) => {
    if (p.kind === 'text') return { kind: 'text', text: p.text };
    if (!p.raw) return { kind: 'value' };
    const text = rawTexts?.get(i);
    return text === undefined ? { kind: 'raw' } : { kind: 'raw', text };
  });
  const layout = placeShell(segments);
  if (rawTexts === undefined || rawTexts.size === 0) layouts.set(t, layout);
  return layout;
}

/** Every placement problem of a script template, as messages with the fix. */
export function shellProblems(t: Template, layout: ShellLayout = shellLayout(t)): ShellProblem[] {
  return layout.problems.map((p) => describe(p, t));
}

function describe(p: PlaceProblem, t: Template): ShellProblem {
  if (p.kind === 'syntax') {
    const shell = p.variant === 'posix' ? 'POSIX sh' : 'bash';
    return {
      code: 'shell-syntax',
      message: `the script does not parse as ${shell} (${p.message}), so tasker cannot tell where its \`\${{ }}\` values land`,
      hint: 'fix the shell syntax: a script with `${{ }}` values must parse both as POSIX sh and as bash; or pass the values through `env:` and use "$NAME"',
      part: p.segment,
      offset: p.offset,
    };
  }
  const part = t.parts[p.segment];
  const expr = part?.kind === 'expr' ? part.expr : undefined;
  const source = expr ? `\${{ ${formatExpr(expr)} }}` : '${{ }}';
  const name = envName(expr);
  const fix = p.fix === undefined ? '' : `, or ${p.fix}`;
  // Bash evaluates a variable's text in arithmetic too (`a[$(cmd)]`), so a number must be checked first.
  const env = p.numeric && expr ? `\${{ int(${formatExpr(expr)}) }}` : source;
  const why = p.numeric
    ? ' (`int()` fails the step unless it is a number: bash evaluates the text of a variable there too)'
    : '';
  return {
    code: 'unsafe-template',
    message: `\`${source}\` is ${p.where}: no quoting can keep a value there from becoming shell syntax`,
    hint: `pass the value through env (\`env: { ${name}: "${env}" }\`) and write "$${name}" in the script${why}${fix}`,
    part: p.segment,
    offset: 0,
  };
}

/** A name for the env: fix: `vars.db_host` → DB_HOST, `steps.build.stdout` → BUILD_STDOUT. */
function envName(expr: Expr | undefined): string {
  if (expr?.kind !== 'ref') return 'VALUE';
  const path = expr.root === 'steps' ? expr.path.slice(0, 2) : expr.path.slice(-1);
  const name = (path.length > 0 ? path : [expr.root])
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}

/** Diagnostics for a script template; `starts` and `locate` come from parseTemplate. */
export function checkScript(t: Template, starts: readonly number[], locate: Locator): Diagnostic[] {
  if (!hasShellValues(t)) return [];
  return shellProblems(t).map((p) => {
    const part = t.parts[p.part];
    const span =
      part?.kind === 'text'
        ? locate((starts[p.part] ?? 0) + p.offset, (starts[p.part] ?? 0) + p.offset + 1)
        : (part?.span ?? t.span);
    return errorAt(p.code, p.message, span, p.hint);
  });
}
