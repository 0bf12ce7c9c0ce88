import { describe, expect, it } from 'vitest';
import { block, ifStep, parallel, ref, ret, run, workflow } from './ast-builders.js';
import { codes, errors, ids, nodeById, okPlan } from './helpers.js';

describe('step ids', () => {
  it('keeps user ids and gives anonymous steps stable path ids', () => {
    const wf = workflow({
      steps: [
        run('a'),
        run('b', { id: 'build' }),
        parallel([run('p0'), run('p1', { id: 'p1' })]),
        ifStep(ref('env.X'), [run('t0')], [run('e0'), run('e1')]),
        block([run('s0'), run('s1')], { finally: [run('f0')] }),
        ret(0),
      ],
      finally: [run('cleanup')],
    });
    const plan = okPlan(wf);
    expect(ids(plan)).toEqual([
      'steps',
      'steps.0',
      'build',
      'steps.2',
      'steps.2.parallel.0',
      'p1',
      'steps.3',
      'steps.3.then',
      'steps.3.then.0',
      'steps.3.else',
      'steps.3.else.0',
      'steps.3.else.1',
      'steps.4',
      'steps.4.steps.0',
      'steps.4.steps.1',
      'steps.4.finally.0',
      'steps.5',
      'finally.0',
    ]);
    expect(nodeById(plan, 'build').explicitId).toBe(true);
    expect(nodeById(plan, 'steps.0').explicitId).toBe(false);
  });

  it('uses positions, not parent ids, for children of a block with a user id', () => {
    const plan = okPlan(workflow({ steps: [run('x'), block([run('inner')], { id: 'deploy' })] }));
    expect(nodeById(plan, 'deploy').kind).toBe('sequence');
    expect(nodeById(plan, 'steps.1.steps.0').kind).toBe('command');
  });

  it('uses name only as the display name', () => {
    const plan = okPlan(
      workflow({
        steps: [run('a', { name: 'Build it' }), run('b', { id: 'b', name: 'Bee' }), run('c', { id: 'c' })],
      }),
    );
    expect(nodeById(plan, 'steps.0').name).toBe('Build it');
    expect(nodeById(plan, 'b').name).toBe('Bee');
    expect(nodeById(plan, 'c').name).toBe('c');
  });

  it('reports a duplicate id at the second use, naming the first line, across finally too', () => {
    const first = run('a', { id: 'x' });
    const second = run('b', { id: 'x' });
    const wf = workflow({
      steps: [first, parallel([run('c', { id: 'y' })])],
      finally: [second, block([run('d', { id: 'y' })])],
    });
    const ds = errors(wf);
    expect(codes(ds)).toEqual(['duplicate-id', 'duplicate-id']);
    expect(ds[0]!.span).toEqual(second.id!.span);
    expect(ds[0]!.hint).toContain(`line ${first.id!.span.line}`);
  });
});
