import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../../src/model/plan.js';
import { walkPlan } from '../../../src/model/plan-walk.js';
import { buildPlan } from '../../../src/plan/index.js';
import {
  bin,
  block,
  copy,
  group,
  host,
  ifStep,
  lit,
  loc,
  parallel,
  ref,
  ret,
  run,
  tpl,
  variable,
  workflow,
} from './ast-builders.js';
import { okPlan } from './helpers.js';

function sample() {
  return workflow({
    name: loc('deploy'),
    description: loc('Rolling deploy'),
    vars: [variable('release', tpl('v1')), variable('n', 2)],
    secrets: [loc('TOKEN')],
    hosts: [host('web1', { vars: { role: tpl('web') } }), host('web2')],
    groups: [group('web', ['web1', 'web2'])],
    steps: [
      run(tpl('build ', ref('vars.release')), { id: 'build', success: bin('==', ref('exit'), lit(0)) }),
      run('up', { id: 'up', hosts: ['web'], onFailure: 'rb' }),
      parallel([run('a', { id: 'a' }), copy('x', '/y', { id: 'b', needs: ['a'] })], { max: 2 }),
      ifStep(
        bin('~', ref('steps.build.stdout'), {
          kind: 'regex',
          pattern: 'ok',
          flags: 'i',
          span: ref('x').span,
        }),
        [run('t')],
        [run(tpl(ref('vars.n')))],
      ),
      ret(0),
      block([run('rollback')], { id: 'rb', returnCode: 1 }),
    ],
    finally: [run('cleanup')],
    notify: {
      on: loc(['failure' as const]),
      command: { kind: 'argv', args: [tpl('notify')] },
      span: ref('x').span,
    },
  });
}

describe('buildPlan', () => {
  it('fills the plan header', () => {
    const plan = okPlan(sample(), { format: 'tasker' });
    expect(plan).toMatchObject({
      version: 1,
      file: 'test.yaml',
      name: 'deploy',
      description: 'Rolling deploy',
      format: 'tasker',
      secrets: ['TOKEN'],
    });
    expect(plan.notify).toMatchObject({ on: ['failure'], timeoutMs: 30_000 });
    expect(plan.root).toMatchObject({ kind: 'sequence', id: 'steps', explicitId: false });
    expect(plan.root.children).toHaveLength(6);
    expect(plan.root.finally).toHaveLength(1);
    expect(okPlan(workflow({ steps: [run('a')] })).name).toBe('test');
    expect(okPlan(workflow({ steps: [run('a')] })).format).toBe('yaml');
  });

  it('returns no plan when there is an error, with every problem at once', () => {
    const result = buildPlan(
      workflow({ steps: [run(tpl(ref('vars.x'))), run('b', { host: 'nope', onFailure: 'zz' })] }),
    );
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual([
      'undefined-var',
      'unknown-host',
      'unknown-step',
    ]);
  });

  it('sorts diagnostics by position', () => {
    const result = buildPlan(
      workflow({
        steps: [run(tpl(ref('vars.x'))), run(tpl(ref('vars.y')))],
        vars: [variable('late', tpl('1'))],
      }),
    );
    const lines = result.diagnostics.map((d) => d.span.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('freezes the whole plan', () => {
    const plan = okPlan(sample());
    expect(Object.isFrozen(plan)).toBe(true);
    walkPlan(plan.root, (n) => expect(Object.isFrozen(n)).toBe(true));
    expect(Object.isFrozen(plan.hosts.web1!)).toBe(true);
    expect(Object.isFrozen(plan.vars[0]!.value)).toBe(true);
    expect(() => {
      (plan.root.children as PlanNode[]).push(plan.root);
    }).toThrow(TypeError);
  });

  it('with materialize: false runs every check and returns the same diagnostics, but no plan', () => {
    const wf = sample();
    const full = buildPlan(wf);
    const checked = buildPlan(wf, { materialize: false });
    expect(full.plan).toBeDefined();
    expect(checked.plan).toBeUndefined();
    expect(checked.diagnostics).toEqual(full.diagnostics);
  });

  it('survives a JSON round trip unchanged', () => {
    const plan = okPlan(sample());
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('does not share or change the input AST', () => {
    const wf = sample();
    const before = JSON.stringify(wf);
    okPlan(wf);
    expect(JSON.stringify(wf)).toBe(before);
    expect(Object.isFrozen(wf.steps)).toBe(false);
    const first = wf.steps[0]!;
    expect(first.kind === 'run' && Object.isFrozen(first.command)).toBe(false);
  });
});

describe('walkPlan', () => {
  it('visits every node depth first in document order with its parent, fan-out templates included', () => {
    const plan = okPlan(sample());
    const seen: [string, string | undefined][] = [];
    walkPlan(plan.root, (n, parent) => seen.push([`${n.kind}:${n.id}`, parent?.id]));
    expect(seen).toEqual([
      ['sequence:steps', undefined],
      ['command:build', 'steps'],
      ['fanout:up', 'steps'],
      ['command:up', 'up'],
      ['parallel:steps.2', 'steps'],
      ['command:a', 'steps.2'],
      ['copy:b', 'steps.2'],
      ['branch:steps.3', 'steps'],
      ['sequence:steps.3.then', 'steps.3'],
      ['command:steps.3.then.0', 'steps.3.then'],
      ['sequence:steps.3.else', 'steps.3'],
      ['command:steps.3.else.0', 'steps.3.else'],
      ['return:steps.4', 'steps'],
      ['sequence:rb', 'steps'],
      ['command:steps.5.steps.0', 'rb'],
      ['command:finally.0', 'steps'],
    ]);
  });
});
