import { isScalar, isSeq, type Node } from 'yaml';
import type { AstCommand } from '../model/ast.js';
import type { Template } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { items, wrongType } from './nodes.js';
import { readScript, readTemplate } from './templates.js';

/** A string runs through the shell; a list is argv (numbers and booleans count as their text). */
export function readCommand(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): AstCommand | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    const script = readScript(ctx, node, at, what);
    return script && { kind: 'shell', script };
  }
  if (!isSeq(node)) {
    wrongType(ctx, node, at, what, 'a command string or an argv list');
    return undefined;
  }
  const list = items(ctx, node);
  if (list.length === 0) {
    report(
      ctx,
      'bad-value',
      spanOf(ctx, node),
      `${what} is an empty argv list`,
      'name the program to run, e.g. [echo, hi]',
    );
    return undefined;
  }
  const args: Template[] = [];
  for (const item of list) {
    const t = readTemplate(ctx, item, at, `each item of ${what}`, true);
    if (t) args.push(t);
  }
  return { kind: 'argv', args };
}

/** Stands in for a value that failed to decode, so the step (and its id) stays in the AST. */
export function emptyTemplate(span: Span): Template {
  return { parts: [], span };
}
