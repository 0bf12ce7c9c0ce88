import type { Diagnostic } from '../model/diagnostic.js';
import type { Expr } from '../model/expr.js';
import { errorAt } from './locator.js';

/** Deepest expression tree accepted; keeps the evaluator and formatter far from the stack limit. */
export const MAX_DEPTH = 200;

/** Checks a parsed tree: depth (long operator chains nest too) and regexes only right of `~`/`!~`. */
export function checkTree(root: Expr): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (e: Expr, depth: number, regexAllowed: boolean): boolean => {
    if (depth > MAX_DEPTH) {
      out.push(
        errorAt('expr-syntax', 'expression is too deeply nested', e.span, 'split it into smaller parts'),
      );
      return false;
    }
    switch (e.kind) {
      case 'literal':
      case 'ref':
        return true;
      case 'regex':
        if (!regexAllowed) {
          out.push(
            errorAt(
              'expr-syntax',
              'a regex can only be matched with `~` or `!~`',
              e.span,
              'write `stdout ~ /pattern/`',
            ),
          );
        }
        return true;
      case 'unary':
        return walk(e.operand, depth + 1, false);
      case 'binary':
        return walk(e.left, depth + 1, false) && walk(e.right, depth + 1, e.op === '~' || e.op === '!~');
      case 'call':
        return e.args.every((a) => walk(a, depth + 1, false));
      case 'index':
        return walk(e.target, depth + 1, false) && walk(e.index, depth + 1, false);
    }
  };
  walk(root, 0, false);
  return out;
}
