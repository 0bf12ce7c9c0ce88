import { isScalar, type Node } from 'yaml';
import type { AstExpr } from '../model/ast.js';
import type { Template } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { checkScript, parseExpression, parseTemplate } from '../expr/index.js';
import { spanOf, type ParseContext } from './context.js';
import { scalarLocator } from './locator.js';
import { wrongType } from './nodes.js';
import { scalarText } from './scalars.js';

/** A string with `${{ }}` parts; with `coerce`, numbers and booleans count as their text. */
export function readTemplate(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  coerce = false,
): Template | undefined {
  const types = coerce ? ['string', 'number', 'boolean', 'bigint'] : ['string'];
  if (!isScalar(node) || node.value === null || !types.includes(typeof node.value)) {
    wrongType(ctx, node, at, what, 'a string');
    return undefined;
  }
  const text = scalarText(node);
  const out = parseTemplate(text, scalarLocator(ctx, node, text));
  ctx.diagnostics.push(...out.diagnostics);
  return out.template;
}

/**
 * A `run:` script: a template whose `${{ }}` values must each land where the shell parser proves
 * they can be quoted (the same check the runner applies, so a valid file never fails it at run time).
 */
export function readScript(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Template | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return readTemplate(ctx, node, at, what);
  const text = scalarText(node);
  const locate = scalarLocator(ctx, node, text);
  const out = parseTemplate(text, locate);
  ctx.diagnostics.push(...out.diagnostics);
  if (out.template) ctx.diagnostics.push(...checkScript(out.template, out.starts, locate));
  return out.template;
}

const WRAPPED = /^(\s*\$\{\{)([\s\S]*)\}\}\s*$/;

/** An expression written plain (`exit == 0`) or wrapped in one `${{ }}`. */
export function readExpr(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): AstExpr | undefined {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
    wrongType(ctx, node, at, what, 'an expression');
    return undefined;
  }
  const text = scalarText(node);
  const locate = scalarLocator(ctx, node, text);
  const m = WRAPPED.exec(text);
  const inner = m && !m[2]!.includes('${{') ? m[2]! : undefined;
  const offset = inner === undefined ? 0 : m![1]!.length;
  const source = inner ?? text;
  const out = parseExpression(source, (a, b) => locate(a + offset, b + offset));
  ctx.diagnostics.push(...out.diagnostics);
  return out.expr ? { source: source.trim(), expr: out.expr, span: spanOf(ctx, node) } : undefined;
}
