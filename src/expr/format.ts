import type { BinaryOp, Expr } from '../model/expr.js';

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '??': 3,
  '==': 4,
  '!=': 4,
  '~': 4,
  '!~': 4,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
};
const UNARY = 6;
const POSTFIX = 7;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$/;

/** Canonical source text: single-quoted strings, parentheses only where precedence needs them. */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? quoteString(e.value) : String(e.value);
    case 'regex':
      return `/${e.pattern}/${e.flags}`;
    case 'ref':
      return refText(e.root, e.path);
    case 'unary':
      return `!${wrap(e.operand, UNARY)}`;
    case 'binary': {
      const p = PRECEDENCE[e.op];
      // Left-associative: a right operand of equal precedence keeps its parentheses.
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'call':
      return `${e.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'index':
      return `${wrap(e.target, POSTFIX)}[${formatExpr(e.index)}]`;
  }
}

/** `steps.warm-a.exit`, with `['…']` for keys that are not identifiers. */
export function refText(root: string, path: readonly string[]): string {
  return root + path.map((k) => (IDENT.test(k) ? `.${k}` : `[${quoteString(k)}]`)).join('');
}

function precedenceOf(e: Expr): number {
  if (e.kind === 'binary') return PRECEDENCE[e.op];
  if (e.kind === 'unary') return UNARY;
  return POSTFIX + 1;
}

function wrap(e: Expr, min: number): string {
  const text = formatExpr(e);
  return precedenceOf(e) < min ? `(${text})` : text;
}

function quoteString(s: string): string {
  const body = s.replace(
    /[\\'\n\r\t\0]/g,
    (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' })[c] ?? c,
  );
  return `'${body}'`;
}
