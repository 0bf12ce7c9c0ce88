import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/model/expr.js';
import {
  block,
  defaults,
  host,
  ifStep,
  parallel,
  ref,
  run,
  tpl,
  variable,
  workflow,
} from './ast-builders.js';
import { codes, errors, okPlan } from './helpers.js';

/** One-ref workflows: the diagnostic must point at the ref. */
function expectRefError(steps: Parameters<typeof workflow>[0], r: Expr, code: string): void {
  const ds = errors(workflow(steps));
  expect(codes(ds)).toEqual([code]);
  expect(ds[0]!.span).toEqual(r.span);
}

describe('vars references', () => {
  it('accepts declared vars and --var additions', () => {
    const wf = workflow({ vars: [variable('a', tpl('1'))], steps: [run(tpl(ref('vars.a'), ref('vars.b')))] });
    expect(okPlan(wf, { vars: { b: '2' } }).vars).toHaveLength(2);
  });

  it('reports an undeclared var with a did-you-mean hint', () => {
    const r = ref('vars.relase');
    const wf = workflow({ vars: [variable('release', tpl('1'))], steps: [run(tpl('x ', r))] });
    const ds = errors(wf);
    expect(codes(ds)).toEqual(['undefined-var']);
    expect(ds[0]!.span).toEqual(r.span);
    expect(ds[0]!.hint).toContain('"release"');
  });

  it('lets a var use earlier vars only', () => {
    const later = ref('vars.b');
    const wf = workflow({
      vars: [variable('a', tpl(later)), variable('b', tpl(ref('vars.a')))],
      steps: [run('x')],
    });
    const ds = errors(wf);
    expect(codes(ds)).toEqual(['undefined-var']);
    expect(ds[0]!.span).toEqual(later.span);
  });

  it('does not check a var whose value --var replaces', () => {
    const wf = workflow({ vars: [variable('a', tpl(ref('vars.nope')))], steps: [run(tpl(ref('vars.a')))] });
    expect(codes(errors(wf))).toEqual(['undefined-var']);
    okPlan(wf, { vars: { a: 'x' } });
  });

  it('refuses step results and the current step inside vars', () => {
    const r = ref('steps.a.stdout');
    expectRefError(
      { vars: [variable('v', tpl(r))], steps: [run(tpl(ref('vars.v')), { id: 'a' })] },
      r,
      'undefined-ref',
    );
  });

  it("lets steps on a host read that host's vars", () => {
    const wf = workflow({
      hosts: [host('h', { vars: { role: tpl('db') } })],
      steps: [run(tpl(ref('vars.role')), { hosts: ['h'] })],
    });
    okPlan(wf);
  });
});

describe('step references', () => {
  it('accepts earlier steps, steps before a block, and steps anywhere from finally', () => {
    const wf = workflow({
      steps: [
        run('a', { id: 'a' }),
        block([run(tpl(ref('steps.a.stdout')), { id: 'b' })]),
        ifStep(ref('steps.b.success'), [run(tpl(ref('steps.a.exit')))]),
        run(tpl(ref('steps.b.hosts.web1.exit'))),
      ],
      finally: [run(tpl(ref('steps.b.status'), ref('steps.a.stdout_file'), ref('steps.a.duration')))],
    });
    okPlan(wf);
  });

  it('reports a step id that does not exist', () => {
    const r = ref('steps.buld.stdout');
    const ds = errors(workflow({ steps: [run('a', { id: 'build' }), run(tpl(r))] }));
    expect(codes(ds)).toEqual(['unknown-step']);
    expect(ds[0]!.span).toEqual(r.span);
    expect(ds[0]!.hint).toContain('"build"');
  });

  it('reports a later step', () => {
    const r = ref('steps.b.stdout');
    expectRefError({ steps: [run(tpl(r)), run('b', { id: 'b' })] }, r, 'step-not-before');
  });

  it('reports the step itself in its templates and when', () => {
    const r = ref('steps.a.exit');
    expectRefError({ steps: [run(tpl(r), { id: 'a' })] }, r, 'step-not-before');
    const w = ref('steps.a.success');
    expectRefError({ steps: [run('x', { id: 'a', when: w })] }, w, 'step-not-before');
  });

  it('reports steps.<self> in success, failure and loop.until, where bare names are right', () => {
    const s = ref('steps.a.exit');
    expectRefError({ steps: [run('x', { id: 'a', success: s })] }, s, 'step-not-before');
    const u = ref('steps.a.stdout');
    expectRefError({ steps: [run('x', { id: 'a', loop: { max: 3, until: u } })] }, u, 'step-not-before');
    okPlan(
      workflow({
        steps: [
          run('x', { success: ref('exit'), failure: ref('stderr'), loop: { max: 2, until: ref('stdout') } }),
        ],
      }),
    );
  });

  it('reports a parallel sibling unless needs orders it, transitively', () => {
    const r = ref('steps.a.stdout');
    expectRefError(
      { steps: [parallel([run('a', { id: 'a' }), run(tpl(r), { id: 'b' })])] },
      r,
      'step-not-before',
    );
    okPlan(
      workflow({
        steps: [
          parallel([
            run('a', { id: 'a' }),
            run('b', { id: 'b', needs: ['a'] }),
            block([run(tpl(ref('steps.a.stdout')))], { id: 'c', needs: ['b'] }),
          ]),
        ],
      }),
    );
  });

  it('reports the other branch of an if, an enclosing block and a step inside the owner', () => {
    const other = ref('steps.t.exit');
    expectRefError(
      { steps: [ifStep(ref('env.X'), [run('t', { id: 't' })], [run(tpl(other))])] },
      other,
      'step-not-before',
    );
    const enclosing = ref('steps.blk.status');
    expectRefError({ steps: [block([run(tpl(enclosing))], { id: 'blk' })] }, enclosing, 'step-not-before');
    const inside = ref('steps.in.exit');
    expectRefError({ steps: [block([run('x', { id: 'in' })], { when: inside })] }, inside, 'step-not-before');
  });

  it('reports a finally step read from the steps list', () => {
    const r = ref('steps.f.exit');
    const wf = workflow({ steps: [run(tpl(r))], finally: [run('f', { id: 'f' })] });
    expect(codes(errors(wf))).toEqual(['step-not-before']);
  });

  it('reports fields that a step does not have, and a step without a field', () => {
    const bad = ref('steps.a.exitcode');
    expectRefError({ steps: [run('a', { id: 'a' }), run(tpl(bad))] }, bad, 'undefined-ref');
    const none = ref('steps.a');
    expectRefError({ steps: [run('a', { id: 'a' }), run(tpl(none))] }, none, 'undefined-ref');
    const hostField = ref('steps.a.hosts.web1.nope');
    expectRefError({ steps: [run('a', { id: 'a' }), run(tpl(hostField))] }, hostField, 'undefined-ref');
  });
});

describe('context references', () => {
  it('allows bare results only in success, failure and loop.until', () => {
    const r = ref('exit');
    const ds = errors(workflow({ steps: [run(tpl(r), { id: 'a' })] }));
    expect(codes(ds)).toEqual(['undefined-ref']);
    expect(ds[0]!.hint).toContain('steps.a.exit');
    const w = ref('stdout');
    expectRefError({ steps: [run('x', { when: w })] }, w, 'undefined-ref');
  });

  it('allows host.* only on host and fan-out steps', () => {
    const r = ref('host.name');
    expectRefError({ steps: [run(tpl(r))] }, r, 'undefined-ref');
    okPlan(
      workflow({
        hosts: [host('h')],
        steps: [run(tpl(ref('host.address')), { host: 'h' }), run(tpl(ref('host.name')), { hosts: ['h'] })],
      }),
    );
    okPlan(
      workflow({
        hosts: [host('h')],
        defaults: defaults({ host: 'h' }),
        steps: [run(tpl(ref('host.user')))],
      }),
    );
    const bad = ref('host.ip');
    expectRefError({ hosts: [host('h')], steps: [run(tpl(bad), { host: 'h' })] }, bad, 'undefined-ref');
  });

  it('allows iteration only in a loop step', () => {
    const r = ref('iteration');
    expectRefError({ steps: [run(tpl(r))] }, r, 'undefined-ref');
    okPlan(workflow({ steps: [run(tpl(ref('iteration')), { loop: { max: 3, until: ref('iteration') } })] }));
  });

  it('always allows env.*', () => {
    okPlan(
      workflow({
        vars: [variable('v', tpl(ref('env.HOME')))],
        steps: [run(tpl(ref('env.ANY'), ref('vars.v')), { env: { X: tpl(ref('env.Y')) } })],
      }),
    );
  });

  it('reports unknown roots', () => {
    const r = ref('var.x');
    expectRefError({ steps: [run(tpl(r))] }, r, 'undefined-ref');
  });
});
