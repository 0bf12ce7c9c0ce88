import { describe, expect, it } from 'vitest';
import type { AstStep } from '../../../src/model/ast.js';
import { block, ifStep, parallel, ref, ret, run, workflow } from './ast-builders.js';
import { codes, errors, okPlan } from './helpers.js';

function jumpError(
  steps: AstStep[],
  from: AstStep,
  key: 'onSuccess' | 'onFailure' = 'onFailure',
  finallySteps: AstStep[] = [],
): string {
  const ds = errors(workflow({ steps, finally: finallySteps }));
  expect(ds).toHaveLength(1);
  expect(ds[0]!.span).toEqual(from[key]!.span);
  return ds[0]!.code;
}

describe('on_success / on_failure', () => {
  it('accepts forward jumps in the same sequence and to an enclosing sequence', () => {
    const plan = okPlan(
      workflow({
        steps: [
          run('a', { onFailure: 'end', onSuccess: 'c' }),
          run('b'),
          run('c', { id: 'c' }),
          block([run('x', { onFailure: 'end' })]),
          ifStep(ref('env.X'), [run('y', { onSuccess: 'end' })]),
          parallel([block([run('p', { onFailure: 'q' }), run('q', { id: 'q' })])]),
          ret(1, { id: 'end' }),
        ],
        finally: [run('f', { onFailure: 'g' }), run('g', { id: 'g' })],
      }),
    );
    expect(plan.root.children[0]).toMatchObject({ onFailure: 'end', onSuccess: 'c' });
  });

  it('reports a target that does not exist', () => {
    const from = run('a', { onFailure: 'rollbak' });
    const ds = errors(workflow({ steps: [from, run('r', { id: 'rollback' })] }));
    expect(codes(ds)).toEqual(['unknown-step']);
    expect(ds[0]!.hint).toContain('"rollback"');
  });

  it('reports backward jumps and jumps to itself', () => {
    const back = run('b', { onFailure: 'a' });
    expect(jumpError([run('a', { id: 'a' }), back], back)).toBe('backward-jump');
    const self = run('s', { id: 's', onSuccess: 's' });
    expect(jumpError([self], self, 'onSuccess')).toBe('backward-jump');
    const out = run('x', { onFailure: 'blk' });
    expect(jumpError([block([out], { id: 'blk' })], out)).toBe('backward-jump');
  });

  it('reports jumps into and out of parallel blocks and between parallel siblings', () => {
    const into = run('a', { onFailure: 'p' });
    expect(jumpError([into, parallel([run('p', { id: 'p' })])], into)).toBe('backward-jump');
    const outOf = run('a', { onFailure: 'after' });
    expect(jumpError([parallel([outOf]), run('z', { id: 'after' })], outOf)).toBe('backward-jump');
    const sibling = run('a', { onFailure: 'b' });
    expect(jumpError([parallel([sibling, run('b', { id: 'b' })])], sibling)).toBe('backward-jump');
  });

  it('reports jumps into another branch, into a nested block and from steps into finally', () => {
    const branch = run('t', { onFailure: 'e' });
    expect(jumpError([ifStep(ref('env.X'), [branch], [run('e', { id: 'e' })])], branch)).toBe(
      'backward-jump',
    );
    const nested = run('a', { onFailure: 'deep' });
    expect(jumpError([nested, block([run('d', { id: 'deep' })])], nested)).toBe('backward-jump');
    const toFinally = run('a', { onFailure: 'f' });
    expect(jumpError([toFinally], toFinally, 'onFailure', [run('f', { id: 'f' })])).toBe('backward-jump');
  });
});

describe('needs', () => {
  it('keeps needs of parallel children in the plan', () => {
    const plan = okPlan(
      workflow({ steps: [parallel([run('a', { id: 'a' }), run('b', { id: 'b', needs: ['a'] })])] }),
    );
    const par = plan.root.children[0]!;
    expect(par.kind === 'parallel' && par.children[1]!.needs).toEqual(['a']);
  });

  it('reports needs outside a parallel block', () => {
    const step = run('b', { needs: ['a'] });
    const ds = errors(workflow({ steps: [run('a', { id: 'a' }), step] }));
    expect(codes(ds)).toEqual(['needs-outside-block']);
    expect(ds[0]!.span).toEqual(step.needs![0]!.span);
    const nested = run('c', { needs: ['a'] });
    expect(codes(errors(workflow({ steps: [parallel([run('a', { id: 'a' }), block([nested])])] })))).toEqual([
      'needs-outside-block',
    ]);
  });

  it('reports needs that name no sibling', () => {
    const step = run('b', { needs: ['outside', 'nothing'] });
    const ds = errors(
      workflow({ steps: [run('o', { id: 'outside' }), parallel([run('a', { id: 'a' }), step])] }),
    );
    expect(codes(ds)).toEqual(['unknown-step', 'unknown-step']);
    expect(ds.map((d) => d.span)).toEqual(step.needs!.map((n) => n.span));
  });

  it('reports a cycle once, showing it from its first step', () => {
    const a = run('a', { id: 'a', needs: ['c'] });
    const ds = errors(
      workflow({
        steps: [parallel([a, run('b', { id: 'b', needs: ['a'] }), run('c', { id: 'c', needs: ['b'] })])],
      }),
    );
    expect(codes(ds)).toEqual(['needs-cycle']);
    expect(ds[0]!.message).toContain('a → c → b → a');
    expect(ds[0]!.span).toEqual(a.needs![0]!.span);
  });

  it('reports a step that needs itself', () => {
    const ds = errors(workflow({ steps: [parallel([run('a', { id: 'a', needs: ['a'] })])] }));
    expect(codes(ds)).toEqual(['needs-cycle']);
    expect(ds[0]!.message).toContain('a → a');
  });
});
