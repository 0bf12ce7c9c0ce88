import type { Node } from 'yaml';
import type { AstEnvEntry } from '../model/ast.js';
import type { Span } from '../model/span.js';
import { report, type ParseContext } from './context.js';
import { asMap, clip } from './nodes.js';
import { readTemplate } from './templates.js';

/** Names usable as environment variables and as `vars.<name>` in expressions. */
/** `__proto__` is refused: as a key of a plain object it would set the prototype, not a name. */
export const NAME = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/;

/** A mapping of names to templates (`env:`, a host's `vars:`); numbers and booleans count as text. */
export function readEnv(ctx: ParseContext, node: Node | undefined, at: Span, what: string): AstEnvEntry[] {
  const list = asMap(ctx, node, at, what);
  if (!list) return [];
  const out: AstEnvEntry[] = [];
  for (const e of list) {
    if (!NAME.test(e.key)) {
      badName(ctx, e.keySpan, e.key, what);
      continue;
    }
    const value = readTemplate(ctx, e.value, e.keySpan, `${what}.${clip(e.key, 40)}`, true);
    if (value) out.push({ name: { value: e.key, span: e.keySpan }, value });
  }
  return out;
}

export function badName(ctx: ParseContext, span: Span, name: string, what: string): void {
  const msg = `"${clip(name)}" is not a valid name in ${what}`;
  const hint =
    name === '__proto__'
      ? '`__proto__` is reserved (it is not a name in JavaScript objects); choose another name'
      : 'use letters, digits and _, not starting with a digit';
  report(ctx, 'bad-value', span, msg, hint);
}
