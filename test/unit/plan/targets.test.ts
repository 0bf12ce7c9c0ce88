import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../../src/model/plan.js';
import { copy, group, host, ref, run, tpl, variable, workflow } from './ast-builders.js';
import { codes, errors, nodeById, okPlan } from './helpers.js';

function fanout(node: PlanNode): Extract<PlanNode, { kind: 'fanout' }> {
  if (node.kind !== 'fanout') throw new Error(`expected a fan-out, got ${node.kind}`);
  return node;
}

function targetNames(node: PlanNode): string[] {
  return fanout(node).targets.map((t) => (t.kind === 'ssh' ? t.name : 'local'));
}

const inventory = {
  hosts: [host('web1'), host('web2'), host('web10'), host('db1'), host('db2')],
  groups: [group('web', ['web1', 'web2']), group('db', ['db1', 'db2']), group('all', ['web', 'db', 'all'])],
};

describe('targets', () => {
  it('runs locally without host, and with host: local', () => {
    const plan = okPlan(workflow({ steps: [run('a'), run('b', { host: 'local' })] }));
    expect(nodeById(plan, 'steps.0')).toMatchObject({ kind: 'command', target: { kind: 'local' } });
    expect(nodeById(plan, 'steps.1')).toMatchObject({ kind: 'command', target: { kind: 'local' } });
  });

  it('resolves host: NAME to the declared host, even an empty one', () => {
    const plan = okPlan(workflow({ hosts: [host('db1')], steps: [run('a', { host: 'db1' })] }));
    expect(nodeById(plan, 'steps.0')).toMatchObject({
      kind: 'command',
      target: { kind: 'ssh', name: 'db1' },
    });
  });

  it('reports an undeclared host with a did-you-mean hint at the value', () => {
    const step = run('a', { host: 'web3' });
    const ds = errors(workflow({ hosts: [host('web1')], steps: [step] }));
    expect(codes(ds)).toEqual(['unknown-host']);
    expect(ds[0]!.span).toEqual((step as { host?: { span: unknown } }).host!.span);
    expect(ds[0]!.hint).toContain('"web1"');
  });

  it('expands groups recursively and cycle-safely, keeping first-seen order without duplicates', () => {
    const plan = okPlan(workflow({ ...inventory, steps: [run('a', { hosts: ['all', 'web1'] })] }));
    expect(targetNames(nodeById(plan, 'steps.0'))).toEqual(['web1', 'web2', 'db1', 'db2']);
  });

  it('matches glob patterns against host names', () => {
    const plan = okPlan(
      workflow({ ...inventory, steps: [run('a', { hosts: ['web?'] }), run('b', { hosts: ['web*'] })] }),
    );
    expect(targetNames(nodeById(plan, 'steps.0'))).toEqual(['web1', 'web2']);
    expect(targetNames(nodeById(plan, 'steps.1'))).toEqual(['web1', 'web2', 'web10']);
  });

  it('reports hosts: items that match nothing', () => {
    const ds = errors(workflow({ ...inventory, steps: [run('a', { hosts: ['cache*', 'webb', 'local'] })] }));
    expect(codes(ds)).toEqual(['unknown-host', 'unknown-host', 'unknown-host']);
    expect(ds[1]!.hint).toContain('did you mean');
  });

  it('reports a group member that is neither a host nor a group', () => {
    const g = group('web', ['web1', 'wbe2']);
    const ds = errors(workflow({ hosts: [host('web1'), host('web2')], groups: [g], steps: [run('a')] }));
    expect(codes(ds)).toEqual(['unknown-group']);
    expect(ds[0]!.span).toEqual(g.members[1]!.span);
  });

  it('builds a fan-out whose template carries the command and the per-instance keys', () => {
    const step = run('deploy', {
      id: 'up',
      hosts: ['web'],
      when: ref('host.name'),
      timeoutMs: 50,
      onFailure: 'rb',
      returnCode: 3,
      sleepMs: 9,
    });
    const plan = okPlan(workflow({ ...inventory, steps: [step, run('rollback', { id: 'rb' })] }));
    const node = fanout(nodeById(plan, 'up'));
    expect(node).toMatchObject({
      timeoutMs: null,
      onFailure: 'rb',
      returnCode: 3,
      sleepMs: 9,
      maxParallel: 0,
      maxFailed: 0,
    });
    expect(node.when).toBeUndefined();
    expect(node.template).toMatchObject({
      kind: 'command',
      id: 'up',
      timeoutMs: 50,
      sleepMs: 0,
      target: { kind: 'ssh', name: 'web1' },
    });
    expect(node.template.when).toBeDefined();
    expect(node.template.onFailure).toBeUndefined();
    expect(node.template.returnCode).toBeUndefined();
  });

  it('fans out copy steps too', () => {
    const plan = okPlan(workflow({ ...inventory, steps: [copy('a', '/b', { hosts: ['db'] })] }));
    expect(fanout(nodeById(plan, 'steps.0')).template).toMatchObject({
      kind: 'copy',
      spec: { retry: { attempts: 1 } },
    });
  });

  it('restricts fan-outs to --limit names, groups and globs', () => {
    const wf = workflow({
      ...inventory,
      steps: [run('a', { hosts: ['all'] }), run('b', { hosts: ['web'] })],
    });
    const plan = okPlan(wf, { limit: 'web1, db*' });
    expect(targetNames(nodeById(plan, 'steps.0'))).toEqual(['web1', 'db1', 'db2']);
    expect(targetNames(nodeById(plan, 'steps.1'))).toEqual(['web1']);
    expect(targetNames(nodeById(okPlan(wf, { limit: 'web' }), 'steps.0'))).toEqual(['web1', 'web2']);
  });

  it('turns a host step outside --limit into a fan-out over no hosts, and leaves local steps alone', () => {
    const plan = okPlan(
      workflow({ ...inventory, steps: [run('a', { host: 'db1' }), run('b', { host: 'web1' }), run('c')] }),
      { limit: 'web1' },
    );
    expect(targetNames(nodeById(plan, 'steps.0'))).toEqual([]);
    expect(nodeById(plan, 'steps.1')).toMatchObject({ kind: 'command', target: { name: 'web1' } });
    expect(nodeById(plan, 'steps.2')).toMatchObject({ kind: 'command', target: { kind: 'local' } });
  });

  it('reports --limit items that match nothing', () => {
    const ds = errors(workflow({ ...inventory, steps: [run('a')] }), { limit: 'web1,nope' });
    expect(codes(ds)).toEqual(['unknown-host']);
    expect(ds[0]!.span).toMatchObject({ line: 1, col: 1 });
  });

  it('lists every declared host in plan.hosts with its vars', () => {
    const plan = okPlan(
      workflow({ hosts: [host('a', { vars: { role: tpl('web') } })], vars: [], steps: [run('x')] }),
    );
    expect(Object.keys(plan.hosts)).toEqual(['a']);
    expect(plan.hosts.a).toMatchObject({
      kind: 'ssh',
      name: 'a',
      vars: { role: { parts: [{ text: 'web' }] } },
    });
  });
});

describe('var overrides', () => {
  it('replaces declared values with --var strings and appends new vars', () => {
    const wf = workflow({
      vars: [variable('release', tpl('v1')), variable('count', 3)],
      steps: [run(tpl('echo ', ref('vars.release'), ref('vars.count'), ref('vars.extra')))],
    });
    const plan = okPlan(wf, { vars: { release: 'v2', extra: 'x' } });
    expect(plan.vars).toEqual([
      { name: 'release', value: 'v2' },
      { name: 'count', value: 3 },
      { name: 'extra', value: 'x' },
    ]);
  });
});
