import { describe, expect, it } from 'vitest';
import { formatExpr, MAX_DEPTH, parseExpression } from '../../../src/expr/index.js';
import { diagnosticsOf, locate, parse } from './helpers.js';

/** Fully parenthesized shape of a parse, to check precedence. */
function shape(source: string): string {
  const show = (e: ReturnType<typeof parse>): string => {
    switch (e.kind) {
      case 'binary':
        return `(${show(e.left)} ${e.op} ${show(e.right)})`;
      case 'unary':
        return `(!${show(e.operand)})`;
      default:
        return formatExpr(e);
    }
  };
  return show(parse(source));
}

describe('parser precedence', () => {
  it.each([
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['a || b || c', '((a || b) || c)'],
    ['(a || b) && c', '((a || b) && c)'],
    ['!a && b', '((!a) && b)'],
    ['!(a && b)', '(!(a && b))'],
    ['!a == b', '((!a) == b)'],
    ['env.X ?? "s" == "s"', "(env.X ?? ('s' == 's'))"],
    ['a == b && c != d', '((a == b) && (c != d))'],
    ['a ?? b && c', '((a ?? b) && c)'],
    ['exit < 3 == true', '((exit < 3) == true)'],
    ['stdout ~ /ok/ || stderr !~ "x"', "((stdout ~ /ok/) || (stderr !~ 'x'))"],
    ['!!a', '(!(!a))'],
  ])('%s parses as %s', (source, expected) => {
    expect(shape(source)).toBe(expected);
  });
});

describe('parser nodes', () => {
  it('folds a static chain into one ref', () => {
    expect(parse("steps['warm-a'].exit")).toMatchObject({
      kind: 'ref',
      root: 'steps',
      path: ['warm-a', 'exit'],
    });
    expect(parse('steps.warm-a.hosts.web1.exit')).toMatchObject({
      kind: 'ref',
      path: ['warm-a', 'hosts', 'web1', 'exit'],
    });
  });

  it('makes number and dynamic indexes index nodes', () => {
    expect(parse('vars.list[0]')).toMatchObject({
      kind: 'index',
      target: { kind: 'ref', path: ['list'] },
      index: { value: 0 },
    });
    expect(parse('lines(stdout)[vars.i]')).toMatchObject({
      kind: 'index',
      target: { kind: 'call' },
      index: { kind: 'ref' },
    });
    expect(parse('split(x, ",").a')).toMatchObject({ kind: 'index', index: { kind: 'literal', value: 'a' } });
  });

  it('parses literals and calls', () => {
    expect(parse('true')).toMatchObject({ kind: 'literal', value: true });
    expect(parse('null')).toMatchObject({ kind: 'literal', value: null });
    expect(parse('vars.true')).toMatchObject({ kind: 'ref', root: 'vars', path: ['true'] });
    expect(parse('contains(stdout, "x")')).toMatchObject({
      kind: 'call',
      name: 'contains',
      args: [{ kind: 'ref' }, { kind: 'literal' }],
    });
    expect(parse('raw(x)')).toMatchObject({ kind: 'call', name: 'raw' });
  });

  it('gives nodes spans at the right columns', () => {
    const e = parse('exit == 0 && contains(stdout, "ok")');
    expect(e.span).toEqual({ file: 'wf.yaml', line: 3, col: 1, endLine: 3, endCol: 36 });
    if (e.kind !== 'binary') throw new Error('expected binary');
    expect(e.right.span).toMatchObject({ col: 14, endCol: 36 });
    if (e.right.kind !== 'call') throw new Error('expected call');
    expect(e.right.args[1]?.span).toMatchObject({ col: 31, endCol: 35 });
  });
});

describe('parser diagnostics', () => {
  it.each([
    ['', 'expr-syntax', 1, 1],
    ['exit ==', 'expr-syntax', 8, 8],
    ['exit == 0 and success', 'expr-syntax', 11, 14],
    ['(exit == 0', 'expr-syntax', 11, 11],
    ['exit = 0', 'expr-syntax', 6, 7],
    ['steps.a.exit(1)', 'expr-syntax', 13, 14],
    ['a.', 'expr-syntax', 3, 3],
    ['a[1', 'expr-syntax', 4, 4],
    ['contains(a b)', 'expr-syntax', 12, 13],
    ['stdout == /x/', 'expr-syntax', 11, 14],
    ['contians(stdout, "x")', 'unknown-function', 1, 9],
    ['split(stdout)', 'bad-arguments', 1, 14],
    ['stdout ~ /a(b/', 'bad-regex', 10, 15],
    ['stdout ~ /a/q', 'bad-regex', 10, 14],
  ])('%j → %s at col %i', (source, code, col, endCol) => {
    const [d, ...rest] = diagnosticsOf(source);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code, severity: 'error', span: { line: 3, col, endCol } });
    expect(parseExpression(source, locate).expr).toBeUndefined();
  });

  it('suggests the nearest function name', () => {
    expect(diagnosticsOf('contians(a, b)')[0]?.hint).toContain('`contains`');
    expect(diagnosticsOf('startsWith(a, b)')[0]?.hint).toContain('`starts_with`');
  });

  it('hints `&&` for `and`', () => {
    expect(diagnosticsOf('a and b')[0]?.hint).toContain('&&');
  });

  it('reports several call problems together', () => {
    expect(diagnosticsOf('foo(1) && split(x)').map((d) => d.code)).toEqual([
      'unknown-function',
      'bad-arguments',
    ]);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    for (const source of [
      '('.repeat(5000) + 'a' + ')'.repeat(5000),
      '!'.repeat(5000) + 'a',
      'a || '.repeat(MAX_DEPTH + 5) + 'a',
      'x' + '[0]'.repeat(1000),
    ]) {
      const [d] = diagnosticsOf(source);
      expect(d?.code).toBe('expr-syntax');
      expect(d?.message).toContain('too deeply nested');
    }
  });

  it('accepts nesting within the bound', () => {
    expect(parseExpression('('.repeat(50) + 'a' + ')'.repeat(50), locate).expr).toMatchObject({
      kind: 'ref',
    });
  });
});

describe('formatExpr', () => {
  it.each([
    ['a||b&&c', 'a || b && c'],
    ['(a||b)&&c', '(a || b) && c'],
    ['a == (b == c)', 'a == (b == c)'],
    ['!(a)', '!a'],
    ['!(a == b)', '!(a == b)'],
    ["steps['a b'].exit", "steps['a b'].exit"],
    ['"it\'s"', "'it\\'s'"],
    ['stdout ~ /a\\/b/i', 'stdout ~ /a\\/b/i'],
    ['default(env.X, -1.5)', 'default(env.X, -1.5)'],
    ['lines(stdout)[-1]', 'lines(stdout)[-1]'],
  ])('%s → %s', (source, expected) => {
    const text = formatExpr(parse(source));
    expect(text).toBe(expected);
    expect(formatExpr(parse(text))).toBe(text);
  });
});

describe('`??` next to a comparison without parentheses', () => {
  it("warns at the `??` with both readings: env.FORCE_FAIL ?? '' == '1'", () => {
    const ds = diagnosticsOf("env.FORCE_FAIL ?? '' == '1'");
    expect(ds).toEqual([
      {
        code: 'ambiguous-precedence',
        severity: 'warning',
        message: "`??` binds looser than `==`: this reads as `env.FORCE_FAIL ?? ('' == '1')`",
        span: { file: 'wf.yaml', line: 3, col: 16, endLine: 3, endCol: 18 },
        hint: "write `(env.FORCE_FAIL ?? '') == '1'` to compare the fallback, or `env.FORCE_FAIL ?? ('' == '1')` to keep this meaning",
      },
    ]);
    // A warning, not an error: the expression still parses, with the meaning it always had.
    expect(parseExpression("env.FORCE_FAIL ?? '' == '1'", locate).expr).toBeDefined();
  });

  it('warns for a comparison on the left too, and for every comparison operator', () => {
    expect(diagnosticsOf('a == b ?? c')[0]?.hint).toBe(
      'write `a == (b ?? c)` to compare the fallback, or `(a == b) ?? c` to keep this meaning',
    );
    for (const op of ['!=', '~', '!~', '<', '<=', '>', '>='])
      expect(diagnosticsOf(`a ?? b ${op} 'c'`).map((d) => d.code)).toEqual(['ambiguous-precedence']);
  });

  it('is quiet once parentheses say which is meant, and for ?? with && or ||', () => {
    for (const source of [
      "(env.X ?? '') == '1'",
      "env.X ?? ('' == '1')",
      '(a == b) ?? c',
      'a ?? b && c',
      'a ?? b ?? c',
      'default(a, b) == c',
    ])
      expect(diagnosticsOf(source)).toEqual([]);
  });
});
