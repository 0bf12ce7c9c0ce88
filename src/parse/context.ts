import type { Document, LineCounter, Node } from 'yaml';
import type { DiagCode, Diagnostic, Severity } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';

/** Aliases resolved while decoding; beyond this an alias bomb is refused instead of expanded. */
export const MAX_ALIAS_RESOLUTIONS = 1000;
/** Nested step blocks (`steps`, `parallel`, `if`) deeper than this are refused. */
export const MAX_STEP_DEPTH = 64;

/**
 * Where an over-indented key made YAML misread the structure: the value of the key above became a
 * mapping that swallowed the indented key and every sibling after it. Problems found there are
 * consequences of the indentation diagnostic, not causes of their own.
 */
export interface Garbled {
  /** The misread value (`run: make` + `timeout: 5m` read as `run: {make timeout: 5m}`). */
  value: Span;
  /** The mapping that lost the swallowed keys (the step, or the workflow itself). */
  container: Span;
  /** The source text of `value`, to tell whether a step id went missing inside it. */
  text: string;
  /** The key whose value was misread (`run`, `id`, …). */
  key: string;
}

/** What every decoder shares: the source, its line index, and the diagnostics collected so far. */
export interface ParseContext {
  readonly file: string;
  readonly text: string;
  readonly lines: LineCounter;
  readonly doc: Document;
  readonly diagnostics: Diagnostic[];
  /** Alias resolutions left before `yaml-alias` stops expansion. */
  aliasBudget: number;
  /** Stand-ins for aliases that were refused or dangling: already reported, so never reported again. */
  readonly unresolved: WeakSet<object>;
  /** Regions an over-indented key made YAML misread: what is found there is not reported again. */
  readonly garbled: Garbled[];
}

export function spanAt(ctx: ParseContext, start: number, end: number): Span {
  const a = ctx.lines.linePos(Math.max(0, Math.min(start, ctx.text.length)));
  const b = ctx.lines.linePos(Math.max(0, Math.min(Math.max(end, start), ctx.text.length)));
  return { file: ctx.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
}

/** The span of a node's value (without trailing comments), or the file start when it has none. */
export function spanOf(ctx: ParseContext, node: Node | null | undefined): Span {
  const range = node?.range;
  if (!range) return spanAt(ctx, 0, 0);
  let end = range[1];
  // Block collections end after their last newline; stop the span at the last character instead.
  while (end > range[0] && /\s/.test(ctx.text[end - 1] ?? '')) end -= 1;
  return spanAt(ctx, range[0], end);
}

export function report(
  ctx: ParseContext,
  code: DiagCode,
  span: Span,
  message: string,
  hint?: string,
  severity: Severity = 'error',
): void {
  const d: Diagnostic = { code, severity, message, span };
  if (hint !== undefined) d.hint = hint;
  ctx.diagnostics.push(d);
}
