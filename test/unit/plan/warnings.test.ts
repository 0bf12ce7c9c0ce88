import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/index.js';
import { block, host, ref, ret, run, tpl, variable, workflow } from './ast-builders.js';
import { codes } from './helpers.js';

describe('warnings', () => {
  it('warns about steps after an unconditional return that no jump reaches, and still builds the plan', () => {
    const dead = run('dead');
    const alsoDead = block([run('x')]);
    const result = buildPlan(workflow({ steps: [run('a'), ret(0), dead, alsoDead] }));
    expect(result.plan).toBeDefined();
    expect(codes(result.diagnostics)).toEqual(['unreachable-step', 'unreachable-step']);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(result.diagnostics[0]!.span).toEqual(dead.keySpan);
  });

  it('treats a jump target and the steps after it as reachable', () => {
    const dead = run('dead');
    const result = buildPlan(
      workflow({
        steps: [
          run('a', { onFailure: 'rb' }),
          ret(0),
          dead,
          run('rb', { id: 'rb' }),
          run('after-rb'),
          ret(1),
          run('end'),
        ],
      }),
    );
    expect(result.diagnostics.map((d) => [d.code, d.span.line])).toEqual([
      ['unreachable-step', dead.keySpan.line],
      ['unreachable-step', expect.any(Number)],
    ]);
  });

  it('does not warn after a conditional return', () => {
    const result = buildPlan(workflow({ steps: [ret(0, { when: ref('env.STOP') }), run('b')] }));
    expect(result.diagnostics).toEqual([]);
  });

  it('warns about vars nothing reads, counting templates, expressions, vars and host vars', () => {
    const unused = variable('unused', tpl('x'));
    const wf = workflow({
      vars: [
        variable('inTemplate', tpl('1')),
        variable('inWhen', tpl('1')),
        variable('inVar', tpl('1')),
        variable('derived', tpl(ref('vars.inVar'))),
        variable('inHostVar', tpl('1')),
        unused,
      ],
      hosts: [host('h', { vars: { r: tpl(ref('vars.inHostVar')) } })],
      steps: [run(tpl(ref('vars.inTemplate'), ref('vars.derived')), { when: ref('vars.inWhen') })],
    });
    const result = buildPlan(wf);
    expect(codes(result.diagnostics)).toEqual(['unused-var']);
    expect(result.diagnostics[0]!.span).toEqual(unused.name.span);
    expect(result.diagnostics[0]!.severity).toBe('warning');
  });
});
