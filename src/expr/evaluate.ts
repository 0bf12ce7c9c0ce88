import type { EvalContext, Expr, Value } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { compareOrder, looseEquals } from './compare.js';
import { FUNCTIONS, IMPLS } from './functions.js';
import { lookupRef } from './refs.js';
import { asNumber, describe, isTruthy, valueToString } from './values.js';

export type EvalError = { message: string; span: Span };
export type Evaluated<T> = { ok: true; value: T } | { ok: false; error: EvalError };

/** `missing`: a valid reference without a value; `??` and `default()` replace it with their fallback. */
type Out = { ok: true; value: Value } | { ok: false; error: EvalError; missing: boolean };

type Node<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

const val = (value: Value): Out => ({ ok: true, value });
const fail = (message: string, span: Span, missing = false): Out => ({
  ok: false,
  error: { message, span },
  missing,
});

/** Evaluates to a value. Works on values only: substituted text is never parsed again. */
export function evaluate(expr: Expr, ctx: EvalContext): Evaluated<Value> {
  const out = run(expr, ctx);
  return out.ok ? out : { ok: false, error: out.error };
}

/** Evaluates for a condition: false, null, 0, "" and [] are false. */
export function evaluateCondition(expr: Expr, ctx: EvalContext): Evaluated<boolean> {
  const out = evaluate(expr, ctx);
  return out.ok ? { ok: true, value: isTruthy(out.value) } : out;
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
    case '||': {
      const left = run(e.left, ctx);
      if (!left.ok) return left;
      // Short-circuit: `||` stops at the first true side, `&&` at the first false one.
      if (isTruthy(left.value) === (e.op === '||')) return val(e.op === '||');
      const right = run(e.right, ctx);
      return right.ok ? val(isTruthy(right.value)) : right;
    }
    case '??':
      return fallback(e.left, e.right, ctx);
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

function compare(e: Node<'binary'>, op: '==' | '!=' | '<' | '<=' | '>' | '>=', ctx: EvalContext): Out {
  const left = run(e.left, ctx);
  if (!left.ok) return left;
  const right = run(e.right, ctx);
  if (!right.ok) return right;
  if (op === '==' || op === '!=') return val(looseEquals(left.value, right.value) === (op === '=='));
  const ordered = compareOrder(op, left.value, right.value);
  return ordered.ok ? val(ordered.value) : fail(ordered.message, e.span);
}

/** `a ?? b` and `default(a, b)`: `a` unless it is null or a reference with no value. */
function fallback(primary: Expr, alternative: Expr, ctx: EvalContext): Out {
  const first = run(primary, ctx);
  if (first.ok && first.value !== null) return first;
  if (!first.ok && !first.missing) return first;
  return run(alternative, ctx);
}

function match(e: Node<'binary'>, ctx: EvalContext): Out {
  const left = run(e.left, ctx);
  if (!left.ok) return left;
  const subject = valueToString(left.value);
  let hit: boolean;
  if (e.right.kind === 'regex') {
    try {
      hit = new RegExp(e.right.pattern, e.right.flags).test(subject);
    } catch {
      return fail(`invalid regex /${e.right.pattern}/${e.right.flags}`, e.right.span);
    }
  } else {
    const right = run(e.right, ctx);
    if (!right.ok) return right;
    if (Array.isArray(right.value)) {
      return fail(
        `the right side of \`${e.op}\` must be text or a /regex/, got ${describe(right.value)}`,
        e.right.span,
      );
    }
    hit = subject.includes(valueToString(right.value));
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
  if (e.name === 'default' && first && second) return fallback(first, second, ctx);
  const args: Value[] = [];
  for (const a of e.args) {
    const out = run(a, ctx);
    if (!out.ok) return out;
    args.push(out.value);
  }
  if (e.name === 'raw') return val(args[0] ?? null);
  const impl = IMPLS[e.name];
  if (!impl) return fail(`unknown function \`${e.name}\``, e.span);
  const applied = impl(args);
  return applied.ok ? val(applied.value) : fail(applied.message, e.span);
}

/** `list[i]`; a negative i counts from the end (`lines(stdout)[-1]` is the last line). */
function index(e: Node<'index'>, ctx: EvalContext): Out {
  const target = run(e.target, ctx);
  if (!target.ok) return target;
  const key = run(e.index, ctx);
  if (!key.ok) return key;
  if (!Array.isArray(target.value)) {
    return fail(
      `only lists can be indexed, got ${describe(target.value)}; use lines() or split() to make one`,
      e.span,
    );
  }
  const i = typeof key.value === 'boolean' ? undefined : asNumber(key.value);
  if (i === undefined || !Number.isInteger(i))
    return fail(`a list index must be a whole number, got ${describe(key.value)}`, e.index.span);
  const item = target.value[i < 0 ? target.value.length + i : i];
  if (item === undefined) return fail(`index ${i} is outside a list of ${target.value.length}`, e.span, true);
  return val(item);
}
