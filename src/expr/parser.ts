import type { Diagnostic } from '../model/diagnostic.js';
import type { BinaryOp, Expr } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { checkTree, MAX_DEPTH } from './check-tree.js';
import { checkCall } from './check-call.js';
import { lex, showToken as show, type Op, type Token } from './lexer.js';
import { errorAt, type Locator } from './locator.js';
import { fallbackPrecedence } from './precedence.js';
import { compileRegex } from './regex.js';

/*
 * Precedence, lowest first: `||` < `&&` < `??` < `== != ~ !~` < `< <= > >=` < `!` < postfix
 * (`.name`, `['key']`, `[expr]`) < primary. Binary operators are left-associative.
 */
const LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['??'],
  ['==', '!=', '~', '!~'],
  ['<', '<=', '>', '>='],
];

const WORD_HINTS: Readonly<Record<string, string>> = { and: 'use `&&`', or: 'use `||`', not: 'use `!`' };

/** Parses one expression; `expr` is present only when there is no error. Never throws. */
export function parseExpression(source: string, locate: Locator): { expr?: Expr; diagnostics: Diagnostic[] } {
  const lexed = lex(source);
  if (!lexed.ok) {
    const { message, hint, start, end } = lexed.error;
    return { diagnostics: [errorAt('expr-syntax', message, locate(start, end), hint)] };
  }
  const parser = new Parser(lexed.tokens, locate);
  const expr = parser.parseAll();
  const diagnostics = expr ? [...parser.diagnostics, ...checkTree(expr)] : parser.diagnostics;
  // Warnings (an ambiguous `??`) ride along with the expression.
  return expr && !diagnostics.some((d) => d.severity === 'error') ? { expr, diagnostics } : { diagnostics };
}

function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

function isOp(t: Token, op: Op): boolean {
  return t.kind === 'op' && t.op === op;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** Nodes the source wrapped in parentheses; the AST itself does not keep them. */
  private readonly grouped = new WeakSet<Expr>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly locate: Locator,
  ) {}

  parseAll(): Expr | undefined {
    const first = this.peek();
    if (first.kind === 'eof')
      return this.fail('empty expression', first, 'write an expression, e.g. `exit == 0`');
    const expr = this.parseBinary(0);
    if (!expr) return undefined;
    const t = this.peek();
    if (t.kind !== 'eof') {
      const hint = t.kind === 'ident' ? WORD_HINTS[t.text] : undefined;
      return this.fail(
        `unexpected ${show(t)} after a complete expression`,
        t,
        hint ?? 'join conditions with `&&` or `||`',
      );
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private span(t: Token): Span {
    return this.locate(t.start, t.end);
  }

  private fail(message: string, at: Token, hint?: string): undefined {
    this.diagnostics.push(errorAt('expr-syntax', message, this.span(at), hint));
    return undefined;
  }

  // Bounds recursion so hostile input cannot overflow the stack.
  private nested<T>(at: Token, f: () => T | undefined): T | undefined {
    if (this.depth >= MAX_DEPTH)
      return this.fail('expression is too deeply nested', at, 'split it into smaller parts');
    this.depth++;
    const result = f();
    this.depth--;
    return result;
  }

  private parseBinary(level: number): Expr | undefined {
    const ops = LEVELS[level];
    if (!ops) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    while (left) {
      const t = this.peek();
      const op = t.kind === 'op' ? ops.find((o) => o === t.op) : undefined;
      if (!op) return left;
      this.next();
      const right = this.parseBinary(level + 1);
      if (!right) return undefined;
      const node = { kind: 'binary', op, left, right, span: joinSpans(left.span, right.span) } as const;
      const warning =
        op === '??' ? fallbackPrecedence(node, (e) => this.grouped.has(e), this.span(t)) : undefined;
      if (warning) this.diagnostics.push(warning);
      left = node;
    }
    return undefined;
  }

  private parseUnary(): Expr | undefined {
    const t = this.peek();
    if (!isOp(t, '!')) return this.parsePostfix();
    this.next();
    const operand = this.nested(t, () => this.parseUnary());
    return operand && { kind: 'unary', op: '!', operand, span: joinSpans(this.span(t), operand.span) };
  }

  private parsePostfix(): Expr | undefined {
    let expr = this.parsePrimary();
    while (expr) {
      const t = this.peek();
      if (isOp(t, '.')) expr = this.parseMember(expr);
      else if (isOp(t, '[')) expr = this.parseIndex(expr, t);
      else if (isOp(t, '('))
        return this.fail('only function names can be called', t, 'call a function by name: `trim(x)`');
      else return expr;
    }
    return undefined;
  }

  private parseMember(target: Expr): Expr | undefined {
    this.next();
    const name = this.peek();
    if (name.kind !== 'ident')
      return this.fail(`expected a field name after \`.\`, found ${show(name)}`, name);
    this.next();
    return extend(target, name.text, this.span(name), this.span(name));
  }

  private parseIndex(target: Expr, open: Token): Expr | undefined {
    this.next();
    const index = this.nested(open, () => this.parseBinary(0));
    if (!index) return undefined;
    const close = this.peek();
    if (!isOp(close, ']')) return this.fail(`expected \`]\`, found ${show(close)}`, close);
    this.next();
    if (index.kind === 'literal' && typeof index.value === 'string') {
      return extend(target, index.value, index.span, this.span(close));
    }
    return { kind: 'index', target, index, span: joinSpans(target.span, this.span(close)) };
  }

  private parsePrimary(): Expr | undefined {
    const t = this.next();
    switch (t.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: t.value, span: this.span(t) };
      case 'regex':
        return this.regex(t);
      case 'ident':
        return this.parseName(t);
      case 'op':
        if (t.op === '(') return this.parseParens(t);
        return this.expectedValue(t);
      case 'eof':
        return this.expectedValue(t);
    }
  }

  private expectedValue(t: Token): undefined {
    const before = this.tokens[this.tokens.indexOf(t) - 1];
    const where = before ? ` after ${show(before)}` : '';
    return this.fail(
      `expected a value${where}, found ${show(t)}`,
      t,
      'a value is a literal, a reference like `exit` or `vars.x`, or a call',
    );
  }

  private regex(t: Token & { kind: 'regex' }): Expr {
    const compiled = compileRegex(t.pattern, t.flags);
    if (!compiled.ok)
      this.diagnostics.push(
        errorAt(
          'bad-regex',
          `invalid regex /${t.pattern}/${t.flags}: ${compiled.reason}`,
          this.span(t),
          compiled.hint,
        ),
      );
    return { kind: 'regex', pattern: t.pattern, flags: t.flags, span: this.span(t) };
  }

  private parseName(t: Token & { kind: 'ident' }): Expr | undefined {
    if (t.text === 'true' || t.text === 'false')
      return { kind: 'literal', value: t.text === 'true', span: this.span(t) };
    if (t.text === 'null') return { kind: 'literal', value: null, span: this.span(t) };
    if (isOp(this.peek(), '(')) return this.parseCall(t);
    return { kind: 'ref', root: t.text, path: [], span: this.span(t) };
  }

  private parseParens(open: Token): Expr | undefined {
    const inner = this.nested(open, () => this.parseBinary(0));
    if (!inner) return undefined;
    const close = this.peek();
    if (!isOp(close, ')')) return this.fail(`expected \`)\` to close \`(\`, found ${show(close)}`, close);
    this.next();
    this.grouped.add(inner);
    return inner;
  }

  private parseCall(name: Token & { kind: 'ident' }): Expr | undefined {
    const open = this.next();
    const args = this.nested(open, () => this.parseArgs());
    if (!args) return undefined;
    const span = joinSpans(this.span(name), args.close);
    this.diagnostics.push(...checkCall(name.text, args.list.length, this.span(name), span));
    return { kind: 'call', name: name.text, args: args.list, span };
  }

  private parseArgs(): { list: Expr[]; close: Span } | undefined {
    const list: Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (isOp(t, ')') && list.length === 0) break;
      const arg = this.parseBinary(0);
      if (!arg) return undefined;
      list.push(arg);
      const sep = this.peek();
      if (isOp(sep, ')')) break;
      if (!isOp(sep, ','))
        return this.fail(`expected \`,\` or \`)\` in the argument list, found ${show(sep)}`, sep);
      this.next();
    }
    return { list, close: this.span(this.next()) };
  }
}

/** A static key on a reference extends its path (`steps.a` + `exit`); elsewhere it is an index. */
function extend(target: Expr, key: string, keySpan: Span, endSpan: Span): Expr {
  const span = joinSpans(target.span, endSpan);
  if (target.kind === 'ref') return { kind: 'ref', root: target.root, path: [...target.path, key], span };
  return { kind: 'index', target, index: { kind: 'literal', value: key, span: keySpan }, span };
}
