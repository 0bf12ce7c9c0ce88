import type { ChalkInstance } from 'chalk';
import type { Span } from '../model/span.js';

const TAB_WIDTH = 4;

/**
 * The line before the span, the span's first line, and a caret line under `col`..`endCol`
 * (to the end of the line when the span runs on). Tabs expand to 4-column stops in both the
 * source line and the caret line so the caret stays under the right character.
 * Returns [] when the span's line is not in the source.
 */
export function renderCodeFrame(source: string, span: Span, chalk: ChalkInstance): string[] {
  const lines = source.split(/\r?\n/);
  const text = lines[span.line - 1];
  if (text === undefined || span.line < 1) return [];
  const gutterWidth = String(span.line).length;
  const gutter = (n: number | null): string =>
    chalk.dim(` ${(n === null ? '' : String(n)).padStart(gutterWidth)} | `);
  const out: string[] = [];
  const before = lines[span.line - 2];
  if (span.line > 1 && before !== undefined) out.push(gutter(span.line - 1) + expandTabs(before));
  out.push(gutter(span.line) + expandTabs(text));
  const [start, end] = caretRange(text, span);
  out.push(gutter(null) + ' '.repeat(start) + chalk.red.bold('^'.repeat(Math.max(1, end - start))));
  return out.map((l) => l.trimEnd());
}

/** Display columns [start, end) of the caret on the span's first line. */
function caretRange(text: string, span: Span): [number, number] {
  const startIndex = clamp(span.col - 1, 0, text.length);
  const endIndex = span.endLine === span.line ? clamp(span.endCol - 1, startIndex, text.length) : text.length;
  const start = displayWidth(text.slice(0, startIndex));
  const end = start + displayWidth(text.slice(startIndex, endIndex), start);
  return [start, end];
}

function expandTabs(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\t' ? ' '.repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : ch;
  return out;
}

/** Columns `text` takes when it starts at column `from`, with tabs expanded. */
function displayWidth(text: string, from = 0): number {
  let col = from;
  for (const ch of text) col += ch === '\t' ? TAB_WIDTH - (col % TAB_WIDTH) : 1;
  return col - from;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}
