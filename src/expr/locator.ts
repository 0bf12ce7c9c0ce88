import type { DiagCode, Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';

/** Maps [start, end) offsets inside the source string to a file span (the YAML layer builds it). */
export type Locator = (start: number, end: number) => Span;

/** A locator for a substring that starts at `offset` inside the text `outer` locates. */
export function shiftLocator(outer: Locator, offset: number): Locator {
  return (start, end) => outer(start + offset, end + offset);
}

export function errorAt(code: DiagCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined
    ? { code, severity: 'error', message, span }
    : { code, severity: 'error', message, span, hint };
}
