import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateCondition, FUNCTIONS, renderTemplate } from '../../../src/expr/index.js';
import { context, parse, template, view } from './helpers.js';

// A dry run: `usage` did not really run, so only its output file paths are known.
const dry = context({
  dryRun: true,
  vars: { limit: 40, token_url: '<unknown>', words: ['a', 'b'] },
  unknownVars: new Set(['token_url']),
  env: { HOME: '/home/op' },
  steps: {
    usage: view({ unknown: true }),
    fan: view({ unknown: true, hosts: { web1: view({ unknown: true }) } }),
  },
});

const UNKNOWN_LEAVES = [
  'steps.usage.stdout',
  'steps.usage.exit',
  'steps.usage.success',
  'steps.fan.hosts.web1.stderr',
  'vars.token_url',
  'env.NOT_SET_ANYWHERE',
  'steps.never_ran.stdout',
];
const KNOWN = ["'abc'", "'12'", '7', '-1', 'null', 'true', 'vars.limit', 'vars.words', "''"];

describe('unknown values in a dry run', () => {
  it('turn the finding `int(steps.usage.stdout) > 40` into an unknown condition, not an error', () => {
    const r = evaluateCondition(parse('int(steps.usage.stdout) > 40'), dry);
    expect(r).toEqual({ ok: true, value: false, unknown: 'int(steps.usage.stdout) > 40' });
  });

  it.each(Object.keys(FUNCTIONS).filter((f) => f !== 'default'))(
    '%s() of an unknown argument is unknown with any other argument',
    (fn) => {
      const { min, max } = FUNCTIONS[fn]!;
      for (let n = min; n <= max; n++)
        for (let pos = 0; pos < n; pos++)
          for (const other of KNOWN) {
            const args = Array.from({ length: n }, (_, i) => (i === pos ? 'steps.usage.stdout' : other));
            const r = evaluate(parse(`${fn}(${args.join(', ')})`), dry);
            expect(r.ok && r.unknown, `${fn}(${args.join(', ')})`).toBeTruthy();
          }
    },
  );

  it('stays unknown through every operator, and logic decided by a known side is known', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=', '~', '!~', '??'])
      for (const k of KNOWN) {
        const r = evaluate(parse(`steps.usage.stdout ${op} ${k}`), dry);
        expect(r.ok && r.unknown, `${op} ${k}`).toBeTruthy();
      }
    expect(evaluate(parse('steps.usage.success || true'), dry)).toEqual({ ok: true, value: true });
    expect(evaluate(parse('false && steps.usage.success'), dry)).toEqual({ ok: true, value: false });
    expect(evaluate(parse('steps.usage.success && true'), dry)).toHaveProperty('unknown');
    expect(evaluate(parse('lines(steps.usage.stdout)[-1]'), dry)).toHaveProperty('unknown');
    expect(evaluate(parse("default(steps.usage.stdout, 'x')"), dry)).toHaveProperty('unknown');
  });

  it('what is known stays known: file paths, vars, env, and fallbacks of a missing value', () => {
    expect(evaluate(parse('steps.usage.stdout_file'), dry)).toEqual({ ok: true, value: '/r/a.stdout' });
    expect(evaluate(parse('vars.limit'), dry)).toEqual({ ok: true, value: 40 });
    expect(evaluate(parse("env.NOT_SET ?? 'dflt'"), dry)).toEqual({ ok: true, value: 'dflt' });
    // A real error in known values is still an error.
    expect(evaluate(parse("int('abc')"), dry).ok).toBe(false);
  });

  it('a template shows what it cannot know as a placeholder naming it', () => {
    const r = renderTemplate(template('echo ${{ int(steps.usage.stdout) }} ${{ vars.limit }}'), dry, 'plain');
    expect(r).toEqual({
      ok: true,
      value: 'echo <int(steps.usage.stdout)> 40',
      unknown: 'int(steps.usage.stdout)',
    });
  });

  it('never fails on any expression built only from unknown values (fuzzed)', () => {
    const leaf = fc.constantFrom(...UNKNOWN_LEAVES);
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
          .tuple(tie('expr'), fc.constantFrom('int', 'trim', 'lines', 'len', 'lower', 'upper', 'raw'))
          .map(([a, f]) => `${f}(${a})`),
        fc
          .tuple(
            tie('expr'),
            tie('expr'),
            fc.constantFrom('split', 'contains', 'starts_with', 'ends_with', 'default'),
          )
          .map(([a, b, f]) => `${f}(${a}, ${b})`),
        fc
          .tuple(
            tie('expr'),
            tie('expr'),
            fc.constantFrom('==', '!=', '<', '>=', '~', '!~', '&&', '||', '??'),
          )
          .map(([a, b, op]) => `(${a} ${op} ${b})`),
        tie('expr').map((a) => `!(${a})`),
        fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `lines(${a})[${b}]`),
        tie('expr').map((a) => `(${a} ~ /x+/)`),
      ),
    }));
    fc.assert(
      fc.property(expr, (source) => {
        const r = evaluate(parse(source), dry);
        expect(r.ok, source).toBe(true);
        expect(r.ok && r.unknown, source).toBeTruthy();
        const c = evaluateCondition(parse(source), dry);
        expect(c.ok && c.unknown !== undefined, source).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('outside a dry run a missing value is still an error', () => {
    expect(evaluate(parse('env.NOT_SET'), context()).ok).toBe(false);
  });
});
