import { isAlias, isMap, isPair, isSeq, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { MAX_ALIAS_RESOLUTIONS, report, spanAt, spanOf, type ParseContext } from './context.js';
import { garbledAt } from './garbled.js';
import { overIndentedKey } from './indent-hint.js';

/** More alias nodes than this and none is expanded ("billion laughs"). */
const MAX_ALIASES = 100;
/** Collections nested deeper than this are refused. */
const MAX_YAML_DEPTH = 200;

/** Parses one YAML document; undefined only when the parser itself could not finish. `uniqueKeys: false` lets the caller judge repeated keys (Ansible inventories take the last). */
export function parseYaml(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
  uniqueKeys = true,
): ParseContext | undefined {
  const lines = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys, prettyErrors: false });
  } catch (error) {
    const deep = error instanceof RangeError;
    diagnostics.push({
      code: deep ? 'too-deep' : 'yaml-syntax',
      severity: 'error',
      message: deep
        ? 'the YAML is nested too deeply to read'
        : `the YAML could not be read: ${String(error)}`,
      span: { file, line: 1, col: 1, endLine: 1, endCol: 1 },
      hint: deep ? 'flatten the document' : 'check the file is YAML',
    });
    return undefined;
  }
  const ctx: ParseContext = {
    file,
    text,
    lines,
    doc,
    diagnostics,
    aliasBudget: MAX_ALIAS_RESOLUTIONS,
    unresolved: new WeakSet(),
    garbled: [],
  };
  const seen = new Set<number>();
  for (const e of doc.errors) if (!isCascade(ctx, e, seen)) reportYamlError(ctx, e, 'error');
  for (const w of doc.warnings) reportYamlError(ctx, w, 'warning');
  checkShape(ctx);
  return ctx;
}

/** Fixes for the yaml package's error codes; anything else gets a generic hint. */
const HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'close the quote or bracket that starts here',
  BAD_INDENT: 'check the indentation here, and close any open [ or {',
  BLOCK_AS_IMPLICIT_KEY: 'quote a value that contains ": "',
  BAD_SCALAR_START: 'quote a value that starts with @, ` or another reserved character',
};

/**
 * One broken token makes the yaml package report every token after it on that line (13 errors for
 * one unquoted `${{` in a flow map): after the first syntax error on a line, the rest are noise.
 */
function isCascade(ctx: ParseContext, e: YAMLError, seen: Set<number>): boolean {
  if (e.code === 'DUPLICATE_KEY' || e.code === 'MULTIPLE_DOCS') return false;
  const line = spanAt(ctx, e.pos[0], e.pos[1]).line;
  if (seen.has(line)) return true;
  seen.add(line);
  return false;
}

const FLOW_TEMPLATE_HINT =
  'inside `{ … }` or `[ … ]`, a value with `${{ … }}` must be quoted: `run: "echo ${{ vars.x }}"`';

function reportYamlError(ctx: ParseContext, e: YAMLError, severity: 'error' | 'warning'): void {
  const span = spanAt(ctx, e.pos[0], e.pos[1]);
  const message = e.message.split('\n')[0] ?? e.message;
  const starts = ctx.lines.lineStarts;
  const lineText = ctx.text.slice(starts[span.line - 1] ?? 0, starts[span.line] ?? ctx.text.length);
  const indent =
    e.code === 'BLOCK_AS_IMPLICIT_KEY' ? overIndentedKey(ctx.file, ctx.text, span.line) : undefined;
  // The value YAML then read as a mapping starts here; what is found in it is this error's echo.
  const region = e.code === 'BLOCK_AS_IMPLICIT_KEY' ? garbledAt(ctx, e.pos[0]) : undefined;
  if (region) ctx.garbled.push(region);
  if (e.code === 'DUPLICATE_KEY') {
    report(
      ctx,
      'duplicate-key',
      span,
      'this key appears twice in the same mapping',
      'remove or rename one of them',
      severity,
    );
  } else if (e.code === 'MULTIPLE_DOCS') {
    report(
      ctx,
      'yaml-syntax',
      span,
      'the file holds more than one YAML document',
      'remove the `---` separator; one workflow per file',
      severity,
    );
  } else if (indent) {
    report(ctx, 'yaml-syntax', indent.span, indent.message, indent.hint, severity);
  } else {
    report(
      ctx,
      'yaml-syntax',
      span,
      message,
      /[{[].*\$\{\{/.test(lineText)
        ? FLOW_TEMPLATE_HINT
        : (HINTS[e.code] ?? 'check the indentation and quoting here'),
      severity,
    );
  }
}

/** Counts aliases and measures nesting without following aliases, so a bomb is never expanded. */
function checkShape(ctx: ParseContext): void {
  const stack: { node: unknown; depth: number }[] = [{ node: ctx.doc.contents, depth: 1 }];
  let aliases = 0;
  let deepReported = false;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node)) {
      aliases += 1;
      if (aliases === MAX_ALIASES + 1) {
        const hint = `use at most ${MAX_ALIASES} aliases; write repeated values out or use \`defaults:\``;
        report(
          ctx,
          'yaml-alias',
          spanOf(ctx, node),
          `more than ${MAX_ALIASES} aliases: refusing to expand them`,
          hint,
        );
        ctx.aliasBudget = 0;
      }
    } else if (isMap(node) || isSeq(node)) {
      if (depth > MAX_YAML_DEPTH) {
        if (!deepReported)
          report(
            ctx,
            'too-deep',
            spanOf(ctx, node),
            `the YAML nests more than ${MAX_YAML_DEPTH} levels`,
            'flatten the structure',
          );
        deepReported = true;
        continue;
      }
      for (const item of node.items) {
        if (isPair(item))
          stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
        else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
}
