import { describe, expect, it } from 'vitest';
import { evaluate, evaluateCondition, ROOTS } from '../../../src/expr/index.js';
import type { Expr, Span } from '../../../src/model/index.js';
import { context, evalError, parse, value, view } from './helpers.js';

const ctx = context({
  vars: { release: '1.4.2', count: 10, name: 'web', empty: '', flag: false, list: ['a', 'b'], nothing: null },
  env: { HOME: '/home/op', UNSET: undefined },
  steps: {
    build: view({ exit: 0, stdout: '10', stderr: 'warn', success: true, status: 'ok', duration: 2.25 }),
    'warm-a': view({ exit: 3, stdout: 'a | b && c', success: false, status: 'failed' }),
    deploy: view({ hosts: { web1: view({ exit: 0 }), web2: view({ exit: 7, status: 'failed' }) } }),
  },
  current: view({
    exit: 1,
    stdout: 'all OK\nready\n',
    stderr: '',
    success: false,
    status: 'failed',
    duration: 0.5,
  }),
  host: { name: 'web1', address: '10.0.0.1', user: 'deploy' },
  iteration: 2,
});

describe('references', () => {
  it.each([
    ['exit', 1],
    ['stdout', 'all OK\nready\n'],
    ['success', false],
    ['status', 'failed'],
    ['duration', 0.5],
    ['iteration', 2],
    ['steps.build.exit', 0],
    ['steps.build.stdout', '10'],
    ['steps.build.stderr', 'warn'],
    ['steps.build.duration', 2.25],
    ['steps.build.stdout_file', '/r/a.stdout'],
    ['steps.warm-a.status', 'failed'],
    ["steps['warm-a'].exit", 3],
    ['steps.deploy.hosts.web2.exit', 7],
    ['vars.release', '1.4.2'],
    ['vars.count', 10],
    ['vars.list', ['a', 'b']],
    ['env.HOME', '/home/op'],
    ['host.name', 'web1'],
    ['host.address', '10.0.0.1'],
    ['host.user', 'deploy'],
  ])('%s', (source, expected) => {
    expect(value(source, ctx)).toEqual(expected);
  });

  it.each([
    ['env.UNSET'],
    ['env.NOPE'],
    ['vars.nope'],
    ['steps.never.exit'],
    ['steps.deploy.hosts.web9.exit'],
    ['host.port'],
    ['vars.toString'],
  ])('missing %s is an error pointing at the reference', (source) => {
    expect(evalError(`1 == ${source}`, ctx).span).toMatchObject({ col: 6, endCol: 6 + source.length });
  });

  it.each([
    ['steps.build.exti'],
    ['steps.build'],
    ['steps.deploy.hosts.web1'],
    ['env.A.B'],
    ['exit.code'],
    ['host.os'],
    ['nope'],
  ])('invalid %s is an error even with ??', (source) => {
    expect(evaluate(parse(`${source} ?? 'fallback'`), ctx).ok).toBe(false);
  });

  it('gives the fallback for missing references on the left of ?? and in default()', () => {
    expect(value('env.DEPLOY_ENV ?? "staging"', ctx)).toBe('staging');
    expect(value('default(env.DEPLOY_ENV, "staging")', ctx)).toBe('staging');
    expect(value('steps.never.exit ?? -1', ctx)).toBe(-1);
    expect(value('vars.nothing ?? "x"', ctx)).toBe('x');
    expect(value('trim(env.NOPE) ?? "t"', ctx)).toBe('t');
    expect(value('lines(stdout)[9] ?? "none"', ctx)).toBe('none');
  });

  it('keeps a present value on the left of ??, even empty or false', () => {
    expect(value('env.HOME ?? "x"', ctx)).toBe('/home/op');
    expect(value('vars.empty ?? "x"', ctx)).toBe('');
    expect(value('vars.flag ?? true', ctx)).toBe(false);
    expect(value('default(vars.count, 1)', ctx)).toBe(10);
  });

  it('reports a missing reference inside the fallback itself', () => {
    expect(evalError('env.A ?? env.B', ctx).span).toMatchObject({ col: 10, endCol: 15 });
  });

  it('reports current-step fields outside a command result', () => {
    expect(evalError('exit == 0', context()).span).toMatchObject({ col: 1, endCol: 5 });
    expect(value('exit ?? 0', context())).toBe(0);
  });
});

describe('logic', () => {
  it.each([
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['!true', false],
    ['!vars.empty', true],
    ['!vars.list', false],
    ['vars.count && "x"', true],
  ])('%s → %j', (source, expected) => {
    expect(value(source, ctx)).toBe(expected);
  });

  it('short-circuits so the other side is never read', () => {
    expect(value('true || env.NOPE == "x"', ctx)).toBe(true);
    expect(value('false && env.NOPE == "x"', ctx)).toBe(false);
    expect(evaluate(parse('false || env.NOPE == "x"'), ctx).ok).toBe(false);
  });

  it.each([
    ['false', false],
    ['null', false],
    ['0', false],
    ['""', false],
    ['split("", ",")', false],
    ['"0"', true],
    ['"false"', true],
    ['-1', true],
    ['lines("a")', true],
  ])('truthiness of %s is %j', (source, expected) => {
    expect(evaluateCondition(parse(source), ctx)).toEqual({ ok: true, value: expected });
  });

  it('passes errors through evaluateCondition', () => {
    expect(evaluateCondition(parse('env.NOPE'), ctx).ok).toBe(false);
  });
});

describe('comparison', () => {
  it.each([
    ['"10" == 10.0', true],
    ['steps.build.stdout == 10', true],
    ['" 10 " == 10', true],
    ['"1e1" == 10', true],
    ['"-2.50" == -2.5', true],
    ['"abc" == "abc"', true],
    ['"abc" == "ABC"', false],
    ['"" == 0', false],
    ['"" == null', false],
    ['null == null', true],
    ['"true" == true', false],
    ['success == false', true],
    ['"x" != 0', true],
    ['vars.release == "1.4.2"', true],
    ['"1.4.2" == "1.4.20"', false],
    ['vars.list == split("a,b", ",")', true],
    ['vars.list == split("a", ",")', false],
    ['exit != 0', true],
    ['"9" < "10"', true],
    ['9 < 10', true],
    ['"10" <= 10', true],
    ['"abc" < "abd"', true],
    ['"b" > "a"', true],
    ['"B" < "a"', true],
    ['duration >= 0.5', true],
    ['steps.build.duration > 2', true],
  ])('%s → %j', (source, expected) => {
    expect(value(source, ctx)).toBe(expected);
  });

  it.each([['"10" < "abc"'], ['null < 1'], ['true > false'], ['vars.list < 3'], ['"" < 1']])(
    '%s is an error',
    (source) => {
      expect(evalError(source, ctx).span).toMatchObject({ col: 1, endCol: source.length + 1 });
    },
  );
});

describe('matching', () => {
  it.each([
    ['stdout ~ /^ready$/m', true],
    ['stdout ~ /^READY$/m', false],
    ['stdout ~ /^READY$/mi', true],
    ['stdout !~ /error/', true],
    ['stdout ~ "OK"', true],
    ['stdout ~ "ok"', false],
    ['stdout !~ "ok"', true],
    ['stdout ~ "."', false],
    ['"a.c" ~ "."', true],
    ['"abc" ~ "."', false],
    ['steps.build.exit ~ "0"', true],
    ['vars.list ~ /^b$/m', true],
  ])('%s → %j', (source, expected) => {
    expect(value(source, ctx)).toBe(expected);
  });

  it('refuses a list as the pattern', () => {
    expect(evalError('stdout ~ vars.list', ctx).span).toMatchObject({ col: 10, endCol: 19 });
  });
});

describe('substituted output is data, never syntax', () => {
  it('compares output containing operators as a plain value', () => {
    expect(value('steps.warm-a.stdout == "a | b && c"', ctx)).toBe(true);
    expect(value('steps.warm-a.stdout ~ "| b &&"', ctx)).toBe(true);
    const withQuotes = context({ steps: { s: view({ stdout: '" || true || "' }) } });
    expect(value('steps.s.stdout == "x"', withQuotes)).toBe(false);
  });
});

describe('indexing', () => {
  it('indexes lists, negative from the end', () => {
    expect(value('lines(stdout)[0]', ctx)).toBe('all OK');
    expect(value('lines(stdout)[-1]', ctx)).toBe('ready');
    expect(value('vars.list[vars.i]', context({ vars: { list: ['a', 'b'], i: '1' } }))).toBe('b');
  });

  it.each([['vars.release[0]'], ['lines(stdout)[0.5]'], ['lines(stdout)["a"]']])(
    '%s is an error',
    (source) => {
      expect(evaluate(parse(source), ctx).ok).toBe(false);
    },
  );

  it('is a missing error out of range', () => {
    expect(evalError('lines(stdout)[5]', ctx).span).toMatchObject({ col: 1, endCol: 17 });
  });
});

describe('hand-built trees', () => {
  const span: Span = { file: 'x', line: 1, col: 1, endLine: 1, endCol: 2 };
  it.each<[string, Expr]>([
    ['a bare regex', { kind: 'regex', pattern: 'a', flags: '', span }],
    ['an unknown function', { kind: 'call', name: 'nope', args: [], span }],
    ['a wrong arity', { kind: 'call', name: 'trim', args: [], span }],
    [
      'a bad regex',
      {
        kind: 'binary',
        op: '~',
        left: { kind: 'literal', value: 'a', span },
        right: { kind: 'regex', pattern: '(', flags: '', span },
        span,
      },
    ],
  ])('%s is an error, not an exception', (_, expr) => {
    expect(evaluate(expr, context())).toMatchObject({ ok: false, error: { span } });
  });
});

describe('ROOTS', () => {
  it('lists every reference root the evaluator reads', () => {
    expect([...ROOTS].sort()).toEqual([
      'duration',
      'env',
      'exit',
      'host',
      'iteration',
      'status',
      'stderr',
      'stdout',
      'steps',
      'success',
      'vars',
    ]);
  });
});
