import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../../src/model/plan.js';
import { block, defaults, host, parallel, run, tpl, workflow } from './ast-builders.js';
import { nodeById, okPlan } from './helpers.js';

function command(node: PlanNode): Extract<PlanNode, { kind: 'command' }> {
  if (node.kind !== 'command') throw new Error(`expected a command, got ${node.kind}`);
  return node;
}

describe('defaults', () => {
  it('gives a command no timeout, one attempt and the documented retry defaults when nothing is set', () => {
    const plan = okPlan(workflow({ steps: [run('a')] }));
    const a = command(nodeById(plan, 'steps.0'));
    expect(a.timeoutMs).toBeNull();
    expect(a.continueOnError).toBe(false);
    expect(a.sleepMs).toBe(0);
    expect(a.spec.retry).toEqual({
      attempts: 1,
      delayMs: 0,
      backoff: 'fixed',
      maxDelayMs: 300_000,
      jitter: false,
      onExit: [],
    });
    expect(a.spec.pty).toBe(false);
    expect(a.target).toEqual({ kind: 'local' });
  });

  it('applies workflow defaults, then block defaults, then the step (inner wins)', () => {
    const wf = workflow({
      defaults: defaults({
        timeoutMs: 1000,
        continueOnError: true,
        retry: { attempts: 3, delayMs: 50 },
        env: { A: tpl('wf'), B: tpl('wf') },
        cwd: tpl('/wf'),
      }),
      steps: [
        run('top'),
        block(
          [
            run('inner'),
            run('own', {
              timeoutMs: 7,
              continueOnError: false,
              retry: { attempts: 9 },
              env: { C: tpl('step') },
              cwd: tpl('/own'),
            }),
            parallel([run('deep')]),
          ],
          { defaults: defaults({ timeoutMs: 2000, retry: { attempts: 5 }, env: { B: tpl('block') } }) },
        ),
      ],
    });
    const plan = okPlan(wf);
    const top = command(nodeById(plan, 'steps.0'));
    expect(top.timeoutMs).toBe(1000);
    expect(top.continueOnError).toBe(true);
    expect(top.spec.retry).toMatchObject({ attempts: 3, delayMs: 50 });
    expect(Object.keys(top.spec.env)).toEqual(['A', 'B']);
    expect(top.spec.cwd?.parts[0]).toMatchObject({ text: '/wf' });

    const inner = command(nodeById(plan, 'steps.1.steps.0'));
    expect(inner.timeoutMs).toBe(2000);
    expect(inner.spec.retry).toMatchObject({ attempts: 5, delayMs: 50 });
    expect(inner.spec.env.B?.parts[0]).toMatchObject({ text: 'block' });
    expect(inner.spec.env.A?.parts[0]).toMatchObject({ text: 'wf' });

    const own = command(nodeById(plan, 'steps.1.steps.1'));
    expect(own.timeoutMs).toBe(7);
    expect(own.continueOnError).toBe(false);
    expect(own.spec.retry).toMatchObject({ attempts: 9, delayMs: 50 });
    expect(Object.keys(own.spec.env).sort()).toEqual(['A', 'B', 'C']);
    expect(own.spec.cwd?.parts[0]).toMatchObject({ text: '/own' });

    expect(command(nodeById(plan, 'steps.1.steps.2.parallel.0')).timeoutMs).toBe(2000);
  });

  it('does not apply the command timeout default to blocks', () => {
    const plan = okPlan(
      workflow({
        defaults: defaults({ timeoutMs: 1000 }),
        steps: [block([run('a')]), parallel([run('b')], { timeoutMs: 5 })],
      }),
    );
    expect(nodeById(plan, 'steps.0').timeoutMs).toBeNull();
    expect(nodeById(plan, 'steps.1').timeoutMs).toBe(5);
  });

  it('sends steps to defaults.host and connect_timeout to ssh targets', () => {
    const wf = workflow({
      hosts: [host('web1', { address: '10.0.0.1', user: 'deploy', port: 2222 })],
      defaults: defaults({ host: 'web1', connectTimeoutMs: 3000 }),
      steps: [run('a'), run('b', { host: 'local' })],
    });
    const plan = okPlan(wf);
    expect(command(nodeById(plan, 'steps.0')).target).toEqual({
      kind: 'ssh',
      name: 'web1',
      address: '10.0.0.1',
      user: 'deploy',
      port: 2222,
      connectTimeoutMs: 3000,
      vars: {},
    });
    expect(command(nodeById(plan, 'steps.1')).target).toEqual({ kind: 'local' });
    expect(plan.hosts.web1).toMatchObject({ connectTimeoutMs: 3000 });
  });

  it('takes max_parallel for fan-outs from defaults unless the step sets it', () => {
    const wf = workflow({
      hosts: [host('a'), host('b')],
      defaults: defaults({ maxParallel: 2 }),
      steps: [run('x', { hosts: ['a', 'b'] }), run('y', { hosts: ['a'], maxParallel: 1, maxFailed: 1 })],
    });
    const plan = okPlan(wf);
    expect(nodeById(plan, 'steps.0')).toMatchObject({ kind: 'fanout', maxParallel: 2, maxFailed: 0 });
    expect(nodeById(plan, 'steps.1')).toMatchObject({ kind: 'fanout', maxParallel: 1, maxFailed: 1 });
  });
});
