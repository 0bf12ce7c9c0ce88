import type { EvalContext, Expr, Value } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { compareOrder, looseEquals } from './compare.js';
import { formatExpr } from './format.js';
import { FUNCTIONS, IMPLS } from './functions.js';
import { lookupRef } from './refs.js';
import { asNumber, describe, isTruthy, valueToString } from './values.js';
import { compileRegex } from './regex.js';

export type EvalError = { message: string; span: Span };
/**
 * `unknown` (dry run only): the value depends on something only a real run knows; it names what
 * (`int(steps.usage.stdout)`) and `value` is a placeholder (`<int(steps.usage.stdout)>`, or false for
 * a condition) that callers must not decide anything on.
 */
export type Evaluated<T> = { ok: true; value: T; unknown?: string } | { ok: false; error: EvalError };

/**
 * `missing`: a valid reference without a value; `??` and `default()` replace it with their fallback.
 * `unknown`: a dry-run value nobody can know yet; everything computed from it is unknown too.
 */
type Out = { ok: true; value: Value; unknown?: true } | { ok: false; error: EvalError; missing: boolean };

type Node<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

const val = (value: Value): { ok: true; value: Value } => ({ ok: true, value });
const fail = (message: string, span: Span, missing = false): Out => ({
  ok: false,
  error: { message, span },
  missing,
});
const unknownOf = (e: Expr): Out => ({ ok: true, value: `<${formatExpr(e)}>`, unknown: true });

/** Evaluates to a value. Works on values only: substituted text is never parsed again. */
export function evaluate(expr: Expr, ctx: EvalContext): Evaluated<Value> {
  const out = run(expr, ctx);
  if (out.ok) return out.unknown ? { ok: true, value: out.value, unknown: formatExpr(expr) } : val(out.value);
  // A dry run cannot tell whether a real run would have the value: it is unknown, not an error.
  if (out.missing && ctx.dryRun)
    return { ok: true, value: `<${formatExpr(expr)}>`, unknown: formatExpr(expr) };
  return { ok: false, error: out.error };
}

/** Evaluates for a condition: false, null, 0, "" and [] are false. */
export function evaluateCondition(expr: Expr, ctx: EvalContext): Evaluated<boolean> {
  const out = evaluate(expr, ctx);
  if (!out.ok) return out;
  if (out.unknown !== undefined) return { ok: true, value: false, unknown: out.unknown };
  return { ok: true, value: isTruthy(out.value) };
}

function run(e: Expr, ctx: EvalContext): Out {
  switch (e.kind) {
    case 'literal':
      return val(e.value);
    case 'regex':
      return fail('a regex can only be matched with `~` or `!~`', e.span);
    case 'ref': {
      const found = lookupRef(e.root, e.path, ctx);
      return found.ok ? found : fail(found.message, e.span, found.missing);
    }
    case 'unary': {
      const operand = run(e.operand, ctx);
      if (operand.ok && operand.unknown) return unknownOf(e);
      return operand.ok ? val(!isTruthy(operand.value)) : operand;
    }
    case 'binary':
      return binary(e, ctx);
    case 'call':
      return call(e, ctx);
    case 'index':
      return index(e, ctx);
  }
}

function binary(e: Node<'binary'>, ctx: EvalContext): Out {
  switch (e.op) {
    case '&&':
    case '||':
      return logical(e, e.op, ctx);
    case '??':
      return fallback(e, e.left, e.right, ctx);
    case '~':
    case '!~':
      return match(e, ctx);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(e, e.op, ctx);
  }
}

/** Short-circuit: `||` stops at the first true side, `&&` at the first false one; unknown only if neither side decides. */
function logical(e: Node<'binary'>, op: '&&' | '||', ctx: EvalContext): Out {
  const decides = (o: Out): boolean => o.ok && !o.unknown && isTruthy(o.value) === (op === '||');
  const left = run(e.left, ctx);
  if (!left.ok) return left;
  if (decides(left)) return val(op === '||');
  const right = run(e.right, ctx);
  if (!right.ok) return right;
  if (decides(right)) return val(op === '||');
  if (left.unknown || right.unknown) return unknownOf(e);
  return val(isTruthy(right.value));
}

/** Both operands, or the first that failed, or unknown when either is. */
function operands(e: Expr, ctx: EvalContext, parts: readonly Expr[]): Value[] | Out {
  const values: Value[] = [];
  let unknown = false;
  for (const p of parts) {
    const out = run(p, ctx);
    if (!out.ok) return out;
    if (out.unknown) unknown = true;
    values.push(out.value);
  }
  return unknown ? unknownOf(e) : values;
}

function compare(e: Node<'binary'>, op: '==' | '!=' | '<' | '<=' | '>' | '>=', ctx: EvalContext): Out {
  const both = operands(e, ctx, [e.left, e.right]);
  if (!Array.isArray(both)) return both;
  const [left = null, right = null] = both;
  if (op === '==' || op === '!=') return val(looseEquals(left, right) === (op === '=='));
  const ordered = compareOrder(op, left, right);
  return ordered.ok ? val(ordered.value) : fail(ordered.message, e.span);
}

/** `a ?? b` and `default(a, b)`: `a` unless it is null or a reference with no value. */
function fallback(e: Expr, primary: Expr, alternative: Expr, ctx: EvalContext): Out {
  const first = run(primary, ctx);
  if (first.ok && first.unknown) return unknownOf(e);
  if (first.ok && first.value !== null) return first;
  if (!first.ok && !first.missing) return first;
  return run(alternative, ctx);
}

function match(e: Node<'binary'>, ctx: EvalContext): Out {
  const parts = e.right.kind === 'regex' ? [e.left] : [e.left, e.right];
  const values = operands(e, ctx, parts);
  if (!Array.isArray(values)) return values;
  const subject = valueToString(values[0] ?? null);
  let hit: boolean;
  if (e.right.kind === 'regex') {
    const re = compileRegex(e.right.pattern, e.right.flags);
    if (!re.ok) return fail(`invalid regex /${e.right.pattern}/${e.right.flags}: ${re.reason}`, e.right.span);
    hit = re.test(subject);
  } else {
    const right = values[1] ?? null;
    if (Array.isArray(right)) {
      return fail(
        `the right side of \`${e.op}\` must be text or a /regex/, got ${describe(right)}`,
        e.right.span,
      );
    }
    hit = subject.includes(valueToString(right));
  }
  return val(e.op === '~' ? hit : !hit);
}

function call(e: Node<'call'>, ctx: EvalContext): Out {
  const arity = FUNCTIONS[e.name];
  if (!arity) return fail(`unknown function \`${e.name}\``, e.span);
  if (e.args.length < arity.min || e.args.length > arity.max) {
    return fail(`\`${e.name}\` got ${e.args.length} arguments`, e.span);
  }
  const [first, second] = e.args;
  if (e.name === 'default' && first && second) return fallback(e, first, second, ctx);
  const args = operands(e, ctx, e.args);
  if (!Array.isArray(args)) return args;
  if (e.name === 'raw') return val(args[0] ?? null);
  const impl = IMPLS[e.name];
  if (!impl) return fail(`unknown function \`${e.name}\``, e.span);
  const applied = impl(args);
  return applied.ok ? val(applied.value) : fail(applied.message, e.span);
}

/** `list[i]`; a negative i counts from the end (`lines(stdout)[-1]` is the last line). */
function index(e: Node<'index'>, ctx: EvalContext): Out {
  const both = operands(e, ctx, [e.target, e.index]);
  if (!Array.isArray(both)) return both;
  const [target = null, key = null] = both;
  if (!Array.isArray(target)) {
    return fail(
      `only lists can be indexed, got ${describe(target)}; use lines() or split() to make one`,
      e.span,
    );
  }
  const i = typeof key === 'boolean' ? undefined : asNumber(key);
  if (i === undefined || !Number.isInteger(i))
    return fail(`a list index must be a whole number, got ${describe(key)}`, e.index.span);
  const item = target[i < 0 ? target.length + i : i];
  if (item === undefined) return fail(`index ${i} is outside a list of ${target.length}`, e.span, true);
  return val(item);
}
