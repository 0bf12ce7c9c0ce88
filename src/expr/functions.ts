import type { Value } from '../model/expr.js';
import { looseEquals } from './compare.js';
import { asNumber, describe, isTruthy, valueToString } from './values.js';

/** Arity of every built-in function; the parser checks names and argument counts against it. */
export const FUNCTIONS: Readonly<Record<string, { min: number; max: number }>> = {
  contains: { min: 2, max: 2 },
  lines: { min: 1, max: 1 },
  int: { min: 1, max: 1 },
  trim: { min: 1, max: 1 },
  split: { min: 2, max: 2 },
  default: { min: 2, max: 2 },
  len: { min: 1, max: 1 },
  raw: { min: 1, max: 1 },
  lower: { min: 1, max: 1 },
  upper: { min: 1, max: 1 },
  starts_with: { min: 2, max: 2 },
  ends_with: { min: 2, max: 2 },
  head: { min: 2, max: 2 },
  trim_end: { min: 1, max: 2 },
  if: { min: 3, max: 3 },
};

/** How each function is called, for argument-count hints. */
export const USAGE: Readonly<Record<string, string>> = {
  contains: 'contains(text_or_list, item)',
  lines: 'lines(text)',
  int: 'int(text)',
  trim: 'trim(text)',
  split: 'split(text, separator)',
  default: 'default(value, fallback)',
  len: 'len(text_or_list)',
  raw: 'raw(value)',
  lower: 'lower(text)',
  upper: 'upper(text)',
  starts_with: 'starts_with(text, prefix)',
  ends_with: 'ends_with(text, suffix)',
  head: 'head(text, count)',
  trim_end: 'trim_end(text, characters)',
  if: 'if(condition, then, else)',
};

type Applied = { ok: true; value: Value } | { ok: false; message: string };

type Impl = (args: readonly Value[]) => Applied;

const ok = (value: Value): Applied => ({ ok: true, value });

/** Scalars as text (null is ""); a list where text is expected is a mistake worth reporting. */
function text(fn: string, v: Value | undefined): string | { message: string } {
  if (v === undefined) return '';
  if (Array.isArray(v)) return { message: `${fn}() expects text, got ${describe(v)}` };
  return valueToString(v);
}

function withText(fn: string, f: (...s: string[]) => Value): Impl {
  return (args) => {
    const texts: string[] = [];
    for (const a of args) {
      const t = text(fn, a);
      if (typeof t !== 'string') return { ok: false, message: t.message };
      texts.push(t);
    }
    return ok(f(...texts));
  };
}

// `lines` drops one trailing empty line, like a shell `while read` loop; CRLF counts as one break.
function splitLines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(/\r?\n/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function contains([haystack, needle]: readonly Value[]): Applied {
  if (Array.isArray(haystack)) return ok(haystack.some((item) => looseEquals(item, needle ?? null)));
  if (Array.isArray(needle))
    return { ok: false, message: `contains() needle must be text, got ${describe(needle)}` };
  return ok(valueToString(haystack ?? null).includes(valueToString(needle ?? null)));
}

function toInt([x]: readonly Value[]): Applied {
  const n = x === undefined || typeof x === 'boolean' ? undefined : asNumber(x);
  if (n === undefined) return { ok: false, message: `int() expects a number, got ${describe(x ?? null)}` };
  return ok(Math.trunc(n));
}

function len([x]: readonly Value[]): Applied {
  if (Array.isArray(x)) return ok(x.length);
  if (typeof x === 'string') return ok([...x].length);
  return { ok: false, message: `len() expects text or a list, got ${describe(x ?? null)}` };
}

// Counts code points, as len() does, so a cut never splits a character.
function head([x, n]: readonly Value[]): Applied {
  const t = text('head', x);
  if (typeof t !== 'string') return { ok: false, message: t.message };
  const count = n === undefined || typeof n === 'boolean' ? undefined : asNumber(n);
  if (count === undefined || !Number.isInteger(count) || count < 0)
    return { ok: false, message: `head() count must be a whole number >= 0, got ${describe(n ?? null)}` };
  if (t.length <= count) return ok(t);
  let out = '';
  let kept = 0;
  for (const ch of t) {
    if (kept++ === count) break;
    out += ch;
  }
  return ok(out);
}

// Without a set, trailing whitespace; with one, any trailing run of those characters.
function trimEnd(s: string, chars?: string): string {
  if (chars === undefined) return s.trimEnd();
  const set = new Set(chars);
  let end = s.length;
  while (end > 0 && set.has(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** Implementations; `default` and `raw` are handled by the evaluator (they see missing references). */
export const IMPLS: Readonly<Record<string, Impl>> = {
  contains,
  lines: withText('lines', splitLines),
  int: toInt,
  trim: withText('trim', (s) => s.trim()),
  split: withText('split', (s, sep) => (s === '' ? [] : s.split(sep ?? ''))),
  len,
  lower: withText('lower', (s) => s.toLowerCase()),
  upper: withText('upper', (s) => s.toUpperCase()),
  starts_with: withText('starts_with', (s, p) => s.startsWith(p ?? '')),
  ends_with: withText('ends_with', (s, p) => s.endsWith(p ?? '')),
  head,
  trim_end: withText('trim_end', trimEnd),
  if: ([c, a, b]) => ok(isTruthy(c ?? null) ? (a ?? null) : (b ?? null)),
};
