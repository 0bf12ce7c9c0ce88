import { isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { DiagCode } from '../model/diagnostic.js';
import type { Located, Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { parseDuration } from './duration.js';
import { clip, items, wrongType } from './nodes.js';

/** A scalar whose value is one of the given JS types, else `wrong-type` and undefined. */
function scalarOf(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  expected: string,
  types: string[],
): Scalar | undefined {
  if (isScalar(node) && types.includes(typeof node.value) && node.value !== null) return node;
  wrongType(ctx, node, at, what, expected);
  return undefined;
}

/** The text a scalar was written as: numbers keep their spelling (`0644`, `1.50`). */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  return typeof node.source === 'string' && node.type === 'PLAIN' ? node.source : String(node.value);
}

/** A string; with `coerce`, numbers and booleans are taken as the text they were written as. */
export function readString(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  coerce = false,
): Located<string> | undefined {
  const types = coerce ? ['string', 'number', 'boolean', 'bigint'] : ['string'];
  const s = scalarOf(ctx, node, at, what, 'a string', types);
  return s ? { value: scalarText(s), span: spanOf(ctx, s) } : undefined;
}

export function readBool(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Located<boolean> | undefined {
  const s = scalarOf(ctx, node, at, what, 'true or false', ['boolean']);
  return s ? { value: s.value as boolean, span: spanOf(ctx, s) } : undefined;
}

export interface IntRange {
  min: number;
  max?: number;
  /** Code for a number outside the range or not whole (default `bad-value`). */
  code?: DiagCode;
}

export function readInt(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  range: IntRange,
): Located<number> | undefined {
  const s = scalarOf(ctx, node, at, what, 'a whole number', ['number']);
  if (!s) return undefined;
  const n = s.value as number;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const span = spanOf(ctx, s);
  if (!Number.isInteger(n) || n < range.min || n > max) {
    const bounds = range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${max}`;
    report(
      ctx,
      range.code ?? 'bad-value',
      span,
      `${what} must be a whole number ${bounds}, got ${scalarText(s)}`,
      `write ${what} as a whole number ${bounds}`,
    );
    return undefined;
  }
  return { value: n, span };
}

/** A duration string (`30s`, `1h30m`) or a number of seconds, as milliseconds. */
export function readDuration(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Located<number> | undefined {
  const s = scalarOf(ctx, node, at, what, 'a duration like "30s"', ['string', 'number']);
  if (!s) return undefined;
  const span = spanOf(ctx, s);
  const ms = parseDuration(s.value as string | number);
  if (ms === undefined) {
    const msg = `${what}: "${clip(scalarText(s))}" is not a duration`;
    report(
      ctx,
      'bad-duration',
      span,
      msg,
      'write a number with a unit, largest first: 500ms, 30s, 5m, 1h30m, 2d (a plain number is seconds; at most 24d)',
    );
    return undefined;
  }
  return { value: ms, span };
}

/** One name or a list of names, each a string. */
export function readNames(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Located<string>[] | undefined {
  if (isScalar(node) && typeof node.value === 'string')
    return [{ value: node.value, span: spanOf(ctx, node) }];
  if (!isSeq(node)) {
    wrongType(ctx, node, at, what, 'a name or a list of names');
    return undefined;
  }
  const out: Located<string>[] = [];
  for (const item of items(ctx, node)) {
    const s = readString(ctx, item, at, `each item of ${what}`, true);
    if (s) out.push(s);
  }
  return out;
}
