import type { Value } from '../model/expr.js';

/** How a value prints into text: lists one element per line, null as empty, numbers without `.0`. */
export function valueToString(v: Value): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.map(valueToString).join('\n');
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v);
}

/** Condition truthiness: false, null, 0, "" and [] are false; everything else (even "false") is true. */
export function isTruthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== false && v !== null && v !== 0 && v !== '';
}

// Decimal only, surrounding whitespace allowed (`wc -l` pads), never empty (Number('') is 0).
const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The number a value stands for: numbers, and strings that are entirely a decimal number. */
export function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

/** Short description of a value for error messages. */
export function describe(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') {
    const shown = v.length > 40 ? `${v.slice(0, 37)}...` : v;
    return JSON.stringify(shown);
  }
  return String(v);
}
