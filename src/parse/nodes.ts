import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { suggest } from '../expr/index.js';

/** A mapping entry with a string key, its value already alias-resolved. */
export interface Entry {
  key: string;
  keySpan: Span;
  value: Node | undefined;
  /** The key and value together. */
  pair: Pair;
}

/** Follows an alias to its target, spending the alias budget so a bomb cannot expand. */
export function resolve(ctx: ParseContext, node: unknown): Node | undefined {
  if (node === null || node === undefined) return undefined;
  if (!isAlias(node)) return node as Node;
  if (ctx.aliasBudget <= 0) return unresolved(ctx, node);
  ctx.aliasBudget -= 1;
  if (ctx.aliasBudget === 0) {
    const hint = 'write the repeated values out, or use `defaults:` instead of anchors';
    report(ctx, 'yaml-alias', spanOf(ctx, node), 'aliases expand into too many nodes', hint);
    return unresolved(ctx, node);
  }
  const target = node.resolve(ctx.doc);
  if (target) return target;
  const hint = `define the anchor \`&${node.source}\` before this alias`;
  report(ctx, 'yaml-alias', spanOf(ctx, node), `unknown anchor "${node.source}"`, hint);
  return unresolved(ctx, node);
}

/** An empty scalar standing in for an alias that was already reported. */
function unresolved(ctx: ParseContext, alias: Node): Node {
  const stand = new Scalar(null);
  stand.range = alias.range;
  ctx.unresolved.add(stand);
  return stand;
}

/** How a node's type reads in a message: "got a list". */
export function describe(node: Node | undefined): string {
  if (node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'an empty value';
    if (typeof v === 'string') return 'a string';
    if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
    if (typeof v === 'boolean') return 'a boolean';
  }
  return 'an unsupported value';
}

export function wrongType(
  ctx: ParseContext,
  node: Node | undefined,
  span: Span,
  what: string,
  expected: string,
): void {
  if (node && ctx.unresolved.has(node)) return;
  const msg = `${what} must be ${expected}, got ${describe(node)}`;
  // An empty value has no text of its own to point at, so point at its key.
  const at = node?.range && !isNull(node) ? spanOf(ctx, node) : span;
  report(ctx, 'wrong-type', at, msg, `write ${what} as ${expected}`);
}

export function isNull(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

/** The entries of a mapping, or undefined (and `wrong-type`) when the node is not one. */
export function asMap(
  ctx: ParseContext,
  node: Node | undefined,
  span: Span,
  what: string,
): Entry[] | undefined {
  if (!isMap(node)) {
    wrongType(ctx, node, span, what, 'a mapping');
    return undefined;
  }
  return entries(ctx, node);
}

export function entries(ctx: ParseContext, map: YAMLMap): Entry[] {
  const out: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = resolve(ctx, pair.key);
    const span = spanOf(ctx, (pair.key as Node | null) ?? map);
    const v: unknown = isScalar(keyNode) ? keyNode.value : undefined;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      const msg = `a key must be a plain name, got ${describe(keyNode)}`;
      report(ctx, 'wrong-type', span, msg, 'write keys as plain words');
      continue;
    }
    out.push({ key: String(v), keySpan: span, value: resolve(ctx, pair.value), pair });
  }
  return out;
}

/** The items of a list, or undefined (and `wrong-type`) when the node is not one. */
export function asSeq(
  ctx: ParseContext,
  node: Node | undefined,
  span: Span,
  what: string,
): Node[] | undefined {
  if (!isSeq(node)) {
    wrongType(ctx, node, span, what, 'a list');
    return undefined;
  }
  return items(ctx, node);
}

export function items(ctx: ParseContext, seq: YAMLSeq): Node[] {
  const out: Node[] = [];
  for (const item of seq.items) {
    const node = resolve(ctx, item);
    if (node) out.push(node);
  }
  return out;
}

/** Reports keys outside `known` as `unknown-key` with a "did you mean" hint; returns the rest. */
export function knownEntries(
  ctx: ParseContext,
  list: Entry[],
  known: readonly string[],
  where: string,
): Entry[] {
  return list.filter((e) => {
    if (known.includes(e.key)) return true;
    reportUnknownKey(ctx, e, known, where);
    return false;
  });
}

export function reportUnknownKey(ctx: ParseContext, e: Entry, known: readonly string[], where: string): void {
  const best = suggest(e.key, known);
  const hint = best !== undefined ? `did you mean "${best}"?` : `known keys: ${known.join(', ')}`;
  report(ctx, 'unknown-key', e.keySpan, `unknown key "${clip(e.key)}" in ${where}`, hint);
}

/** Keeps messages readable when a key is absurdly long. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
