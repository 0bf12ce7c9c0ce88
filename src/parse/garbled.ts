import { isMap, isScalar, visit, type Node } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import { spanOf, type Garbled, type ParseContext } from './context.js';

/** The misread region whose mapping value starts at `offset` (where YAML reported BLOCK_AS_IMPLICIT_KEY). */
export function garbledAt(ctx: ParseContext, offset: number): Garbled | undefined {
  let found: Garbled | undefined;
  visit(ctx.doc, {
    Pair(_, pair, path) {
      const range = isMap(pair.value) ? pair.value.range : undefined;
      const container = path.at(-1);
      if (range?.[0] !== offset || !isMap(container)) return undefined;
      found = {
        value: spanOf(ctx, pair.value as Node),
        container: spanOf(ctx, container),
        text: ctx.text.slice(range[0], range[1]),
        key: isScalar(pair.key) ? String(pair.key.value) : '',
      };
      return visit.BREAK;
    },
  });
  return found;
}

const before = (a: Span, b: Span): boolean => a.line < b.line || (a.line === b.line && a.col < b.col);
const inside = (s: Span, r: Span): boolean =>
  !before(s, r) && !before({ ...r, line: r.endLine, col: r.endCol }, s);
const sameStart = (a: Span, b: Span): boolean => a.line === b.line && a.col === b.col;

/** Whether `d` only follows from a misread region: inside it, a key its container lost, or an id it swallowed. */
function isConsequence(d: Diagnostic, g: Garbled): boolean {
  if (d.code === 'yaml-syntax' || d.code === 'duplicate-key' || d.span.file !== g.value.file) return false;
  if (inside(d.span, g.value)) return true;
  if ((d.code === 'no-kind' || d.code === 'missing-field') && sameStart(d.span, g.container)) return true;
  const id = d.code === 'unknown-step' ? /no step has the id "([^"]+)"/.exec(d.message)?.[1] : undefined;
  return id !== undefined && swallowedIds(g).includes(id);
}

/**
 * The step ids the misread region declared: the value of a misread `id:` (its first line), and any
 * `id: X` inside it. A word that merely appears in it (`./deploy.sh`) is not one.
 */
function swallowedIds(g: Garbled): string[] {
  const ids: string[] = [];
  const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (g.key === 'id') ids.push(unquote(g.text.split('\n')[0] ?? ''));
  for (const m of g.text.matchAll(/(?:^|[\s{,-])id:[ \t]*([^\s,}#]+)/gm)) ids.push(unquote(m[1]!));
  return ids;
}

/** The diagnostics without the consequences of misread regions (the indentation diagnostic says the cause). */
export function dropConsequences(ds: Diagnostic[], garbled: readonly Garbled[]): Diagnostic[] {
  if (garbled.length === 0) return ds;
  return ds.filter((d) => !garbled.some((g) => isConsequence(d, g)));
}
