import type { Diagnostic } from '../model/diagnostic.js';
import type { BinaryOp, Expr } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { formatExpr } from './format.js';

type Binary = Extract<Expr, { kind: 'binary' }>;

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '~', '!~', '<', '<=', '>', '>=']);

const isComparison = (e: Expr, grouped: (e: Expr) => boolean): e is Binary =>
  e.kind === 'binary' && COMPARISONS.has(e.op) && !grouped(e);

const binary = (op: BinaryOp, left: Expr, right: Expr, span: Span): Binary => ({
  kind: 'binary',
  op,
  left,
  right,
  span,
});

/**
 * A warning for `a ?? b == c` (or `a == b ?? c`) written without parentheses: `??` binds looser than
 * comparisons, so it reads `a ?? (b == c)`, rarely what was meant. `grouped` says which operands
 * the source put in parentheses; the hint spells out both readings.
 */
export function fallbackPrecedence(
  node: Binary,
  grouped: (e: Expr) => boolean,
  opSpan: Span,
): Diagnostic | undefined {
  const { left, right, span } = node;
  const reading = isComparison(right, grouped)
    ? {
        op: right.op,
        now: `${formatExpr(left)} ?? (${formatExpr(right)})`,
        meant: binary(right.op, binary('??', left, right.left, span), right.right, span),
      }
    : isComparison(left, grouped)
      ? {
          op: left.op,
          now: `(${formatExpr(left)}) ?? ${formatExpr(right)}`,
          meant: binary(left.op, left.left, binary('??', left.right, right, span), span),
        }
      : undefined;
  if (!reading) return undefined;
  return {
    code: 'ambiguous-precedence',
    severity: 'warning',
    message: `\`??\` binds looser than \`${reading.op}\`: this reads as \`${reading.now}\``,
    span: opSpan,
    hint: `write \`${formatExpr(reading.meant)}\` to compare the fallback, or \`${reading.now}\` to keep this meaning`,
  };
}
