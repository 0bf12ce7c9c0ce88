import { isScalar, type Node } from 'yaml';
import type { AstVar } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { badName, NAME } from './env.js';
import { asMap, asSeq, clip, wrongType } from './nodes.js';
import { readTemplate } from './templates.js';

/** `vars:` name → string (a template), number, boolean or null. */
export function readVars(ctx: ParseContext, node: Node | undefined, at: Span): AstVar[] {
  const list = asMap(ctx, node, at, '`vars`');
  if (!list) return [];
  const out: AstVar[] = [];
  for (const e of list) {
    if (!NAME.test(e.key)) {
      badName(ctx, e.keySpan, e.key, '`vars`');
      continue;
    }
    const name = { value: e.key, span: e.keySpan };
    const v = e.value;
    if (isScalar(v) && typeof v.value === 'string') {
      const value = readTemplate(ctx, v, e.keySpan, `\`vars.${e.key}\``);
      if (value) out.push({ name, value });
    } else if (
      v === undefined ||
      (isScalar(v) && ['number', 'boolean'].includes(typeof v.value)) ||
      (isScalar(v) && v.value === null)
    ) {
      const value = isScalar(v) ? (v.value as number | boolean | null) : null;
      out.push({ name, value: { value, span: v ? spanOf(ctx, v) : e.keySpan } });
    } else {
      wrongType(ctx, v, e.keySpan, `\`vars.${clip(e.key, 40)}\``, 'a string, number, boolean or null');
    }
  }
  return out;
}

/** `secrets:` a list of environment variable names. */
export function readSecrets(ctx: ParseContext, node: Node | undefined, at: Span): Located<string>[] {
  const list = asSeq(ctx, node, at, '`secrets`');
  if (!list) return [];
  const out: Located<string>[] = [];
  for (const item of list) {
    if (!isScalar(item) || typeof item.value !== 'string') {
      wrongType(ctx, item, at, 'each item of `secrets`', 'an environment variable name');
    } else if (!NAME.test(item.value)) {
      report(
        ctx,
        'bad-value',
        spanOf(ctx, item),
        `"${clip(item.value)}" is not an environment variable name`,
        'use letters, digits and _, not starting with a digit',
      );
    } else {
      out.push({ value: item.value, span: spanOf(ctx, item) });
    }
  }
  return out;
}
