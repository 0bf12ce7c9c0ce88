import type { Diagnostic } from '../model/diagnostic.js';
import type { EvalContext, Template, TemplatePart, Value } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { evaluate, type Evaluated } from './evaluate.js';
import { formatExpr } from './format.js';
import { scanRegexEnd } from './lexer.js';
import { errorAt, shiftLocator, type Locator } from './locator.js';
import { parseExpression } from './parser.js';
import { shellLayout, shellProblems } from './shell-check.js';
import { renderLayout } from './shell-render.js';
import { valueToString } from './values.js';

const OPEN = '${{';
const CLOSE = '}}';

/** Index of the `}}` closing an expression that starts at `from`; `}}` inside a string or regex does not count. */
function findClose(text: string, from: number): number {
  // After one unterminated regex the expression is invalid anyway; skipping no more keeps this linear.
  let regexes = true;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return text.indexOf(CLOSE, from);
      i = end;
    } else if (c === '/' && regexes) {
      const end = scanRegexEnd(text, i);
      if (end > 0) i = end - 1;
      else regexes = false;
    } else if (text.startsWith(CLOSE, i)) {
      return i;
    }
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[start]) return i;
  }
  return -1;
}

/** Splits `${{ }}` parts; text outside them is literal. `${{ raw(x) }}` sets raw: true. Never throws. */
export function parseTemplate(
  text: string,
  locate: Locator,
): { template?: Template; diagnostics: Diagnostic[]; starts: number[] } {
  const parts: TemplatePart[] = [];
  /** Where each part starts in `text`, so a problem inside a part can be located exactly. */
  const starts: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const pushText = (start: number, end: number): void => {
    if (end <= start) return;
    starts.push(start);
    parts.push({ kind: 'text', text: text.slice(start, end), span: locate(start, end) });
  };
  let textStart = 0;
  for (let open = text.indexOf(OPEN); open >= 0; open = text.indexOf(OPEN, textStart)) {
    const close = findClose(text, open + OPEN.length);
    if (close < 0) {
      diagnostics.push(
        errorAt(
          'expr-syntax',
          '`${{` is not closed',
          locate(open, open + OPEN.length),
          'add `}}` after the expression',
        ),
      );
      break;
    }
    pushText(textStart, open);
    const inner = parseExpression(
      text.slice(open + OPEN.length, close),
      shiftLocator(locate, open + OPEN.length),
    );
    diagnostics.push(...inner.diagnostics);
    if (inner.expr) {
      const raw = inner.expr.kind === 'call' && inner.expr.name === 'raw';
      starts.push(open);
      parts.push({ kind: 'expr', expr: inner.expr, raw, span: locate(open, close + CLOSE.length) });
    }
    textStart = close + CLOSE.length;
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, starts };
  pushText(textStart, text.length);
  if (parts.length === 0) {
    starts.push(0);
    parts.push({ kind: 'text', text: '', span: locate(0, 0) });
  }
  return { template: { parts, span: locate(0, text.length) }, diagnostics, starts };
}

/** True when the template has no `${{ }}` parts. */
export function isPlainTemplate(t: Template): boolean {
  return t.parts.every((p) => p.kind === 'text');
}

/** Back to source text: `a ${{ x }} b`, with each expression in canonical form. */
export function templateSource(t: Template): string {
  return t.parts.map((p) => (p.kind === 'text' ? p.text : `${OPEN} ${formatExpr(p.expr)} ${CLOSE}`)).join('');
}

/**
/**
 * A part whose value is unknown (dry run) renders as its placeholder and names itself in `unknown`.
 * 'shell': each value is quoted for the place it lands in the script, found by parsing the script
 * (see shell-place.ts); a value in a place that cannot be made safe is an error, which validation
 * reports first. Raw parts go in verbatim. 'plain': values are inserted as text.
 */
export function renderTemplate(t: Template, ctx: EvalContext, mode: 'shell' | 'plain'): Evaluated<string> {
  const texts = new Map<number, string>();
  const raws = new Map<number, string>();
  const unknown: string[] = [];
  for (const [i, part] of t.parts.entries()) {
    if (part.kind === 'text') continue;
    const value = evaluate(part.expr, ctx);
    if (!value.ok) return value;
    if (value.unknown !== undefined) unknown.push(value.unknown);
    (part.raw ? raws : texts).set(i, valueToString(value.value));
  }
  const done = (out: string): Evaluated<string> =>
    unknown.length > 0 ? { ok: true, value: out, unknown: unknown.join(', ') } : { ok: true, value: out };
  if (mode === 'plain' || texts.size === 0)
    return done(
      t.parts.map((p, i) => (p.kind === 'text' ? p.text : (texts.get(i) ?? raws.get(i) ?? ''))).join(''),
    );
  const layout = shellLayout(t, raws);
  const [problem] = shellProblems(t, layout);
  if (problem) return { ok: false, error: { message: problem.message, span: spanOf(t, problem.part) } };
  const rendered = renderLayout(layout, texts);
  if (!rendered.ok)
    return { ok: false, error: { message: rendered.message, span: spanOf(t, rendered.segment) } };
  return done(rendered.script);
}

function spanOf(t: Template, part: number): Span {
  return t.parts[part]?.span ?? t.span;
}

/** A template that is exactly one `${{ expr }}` keeps the value's type; anything else is a string. */
export function templateValue(t: Template, ctx: EvalContext): Evaluated<Value> {
  const [only, ...rest] = t.parts;
  if (only?.kind === 'expr' && rest.length === 0) return evaluate(only.expr, ctx);
  return renderTemplate(t, ctx, 'plain');
}
