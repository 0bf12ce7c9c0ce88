import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseExpression } from '../../../src/expr/index.js';
import { currentScope, emptyScope, translateCondition } from '../../../src/legacy/index.js';
import type { StepView } from '../../../src/model/expr.js';

const span = { file: 'f', line: 1, col: 1, endLine: 1, endCol: 2 };
const refs = {
  stepIds: new Map([[0, 't0']]),
  splits: new Map<number, { stdout?: [string, number] }>([[5, { stdout: [':', 1] }]]),
  globals: new Set(['WANT']),
};
const view = (o: Partial<StepView>): StepView => ({
  exit: 0,
  stdout: '',
  stderr: '',
  success: true,
  status: 'ok',
  stdout_file: '',
  stderr_file: '',
  stdout_bytes: 0,
  stderr_bytes: 0,
  duration: 0,
  ...o,
});

/** Translates, parses with the real expression parser, and evaluates against a current result. */
function holds(cond: string, current: Partial<StepView>, id = 1, t0: Partial<StepView> = {}): boolean {
  const r = translateCondition(cond, currentScope(refs, id, 'exit == 0'));
  if (!r.ok) throw new Error(r.message);
  const parsed = parseExpression(r.source, () => span);
  expect(parsed.diagnostics).toEqual([]);
  const out = evaluateCondition(parsed.expr!, {
    vars: { WANT: 'ok' },
    env: {},
    steps: { t0: view(t0) },
    current: view(current),
  });
  if (!out.ok) throw new Error(out.error.message);
  return out.value;
}

describe('TASKER conditions as tasker expressions', () => {
  it.each([
    ['exit_0', { exit: 0 }, true],
    ['exit_0', { exit: 1 }, false],
    ['exit_not_0', { exit: 2 }, true],
    ['EXIT_0', { exit: 0 }, false],
    ['success', { exit: 0 }, true],
    ['stdout~ready', { stdout: 'all ready' }, true],
    ['stdout!~ready', { stdout: 'all ready' }, false],
    ['stdout~', { stdout: '  ' }, true],
    ['stdout!~', { stdout: 'x' }, true],
    ['stdout~"deploy fin', { stdout: 'deploy finished' }, true],
    ["stdout~'ready'", { stdout: 'ready now' }, true],
    ['stdout_count=2', { stdout: 'a\nb\n' }, true],
    ['stdout_count>2', { stdout: 'a\nb' }, false],
    ['stderr~oops', { stderr: 'oops' }, true],
    ['stdout=5', { stdout: '5' }, true],
    ['stdout!=5', { stdout: '6' }, true],
    ['exit<2', { exit: 1 }, true],
    ['exit>=3', { exit: 1 }, false],
    ['true', {}, true],
    ['FALSE', {}, false],
    ['contains:wor', { stdout: 'world' }, true],
    ['not_contains:wor', { stdout: 'world' }, false],
    ['exit_0|exit_3', { exit: 3 }, true],
    ['exit_0&stdout~x', { exit: 0, stdout: 'y' }, false],
    ['(exit_0)', { exit: 0 }, true],
    ['exit_1|exit_0&stdout~x', { exit: 0, stdout: 'x' }, true],
  ] as const)('%s', (cond, current, expected) => {
    expect(holds(cond, current)).toBe(expected);
  });

  it('reads other tasks through @N_…@ and globals through their value', () => {
    expect(holds('@0_stdout@=yes', {}, 1, { stdout: 'yes' })).toBe(true);
    expect(holds('@0_exit@=3', {}, 1, { exit: 3 })).toBe(true);
    expect(holds('@0_success@=false', {}, 1, { success: false })).toBe(true);
    expect(holds('@0_success@', {}, 1, { success: true })).toBe(true);
  });

  it('S6: a quoted right side that ends the condition chooses the operator; else priority order', () => {
    const t0 = { stderr: 'load <= 80' };
    expect(holds('@0_stderr@~"load <= 80"', {}, 1, t0)).toBe(true);
    expect(holds('@0_stderr@~load <= 80', {}, 1, t0)).toBe(false);
    expect(holds('@0_stdout@="a=b"', {}, 1, { stdout: 'a=b' })).toBe(true);
    expect(holds('@0_stdout@="a\\"b"', {}, 1, { stdout: 'a"b' })).toBe(true);
    expect(holds('@0_stdout@="never closed', {}, 1, { stdout: '"never closed' })).toBe(false);
  });

  it('applies the task own stdout_split to stdout', () => {
    expect(holds('stdout=b', { stdout: 'a:b:c' }, 5)).toBe(true);
  });

  it('pre-check scope sees exit 0 and empty output', () => {
    const r = translateCondition('exit_0&stdout~', emptyScope(refs));
    expect(r.ok && r.source).toBe('(0 == 0) && (trim("") == "")');
  });

  it.each([
    '',
    'exit_0&&exit_1',
    '|exit_0',
    '(exit_0',
    'banana',
    'exit_0,exit_1',
    'exit=0',
    '(exit_0|exit_1)',
    'exit_-1',
    'exit_foo',
    'stdout~"a|b"',
    'stdout',
    '@0_stdout_file@=x',
    '3=3',
    'ready',
  ])('rejects %j', (cond) => {
    expect(translateCondition(cond, currentScope(refs, 1, 'exit == 0')).ok).toBe(false);
  });
});
