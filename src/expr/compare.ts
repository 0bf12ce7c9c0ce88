import type { Value } from '../model/expr.js';
import { asNumber, describe } from './values.js';

/*
 * Comparison semantics (TASKER compared numbers as text and text as numbers; these rules are exact):
 * - `==` / `!=`: when BOTH sides are numbers or numeric strings ("10", " 10 ", "1e3", "-2.5"), compare
 *   as numbers, so `"10" == 10.0` and `stdout == 10` (stdout "10") are true. Otherwise compare by strict
 *   identity of type and value: "abc" == "abc", true == true, null == null; "true" != true, "" != null,
 *   "x" != 0. Lists are equal when they have equal length and pairwise equal elements.
 * - `<` `<=` `>` `>=`: numeric when both sides are numeric; lexicographic (UTF-16 code units) when both
 *   are non-numeric strings; anything else ("10" < "abc", null < 1, true > false, lists) is an error.
 */

export function looseEquals(a: Value, b: Value): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => looseEquals(item, b[i] ?? null));
  }
  return a === b;
}

export type Ordered = { ok: true; value: boolean } | { ok: false; message: string };

export function compareOrder(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): Ordered {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return { ok: true, value: order(op, na, nb) };
  if (typeof a === 'string' && typeof b === 'string' && na === undefined && nb === undefined) {
    return { ok: true, value: order(op, a, b) };
  }
  return {
    ok: false,
    message: `cannot compare ${describe(a)} ${op} ${describe(b)}: \`${op}\` needs two numbers or two non-numeric strings (use int() to convert)`,
  };
}

function order<T extends number | string>(op: '<' | '<=' | '>' | '>=', a: T, b: T): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
