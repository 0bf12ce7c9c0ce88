import { afterEach, describe, expect, it } from 'vitest';
import type { BlockPolicy } from '../../../src/model/ast.js';
import { cleanRunDirs, cmd, par, plan, run, seq, statusOf } from './plan-builders.js';

afterEach(cleanRunDirs);

const quick = (ms = 5) => ({ delayMs: ms });

describe('parallel', () => {
  it('never runs more than max children at once, and runs them all', async () => {
    const children = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => cmd(id, id));
    const scripts = Object.fromEntries(children.map((c) => [c.id, quick()]));
    const ran = await run(plan([par('p', children, { max: 2 })]), scripts);
    expect(ran.fake.maxRunning).toBe(2);
    expect(ran.fake.calls).toHaveLength(6);
    expect(statusOf(ran, 'p')).toBe('ok');
  });

  it('with max 0 starts every child at once', async () => {
    const children = ['a', 'b', 'c', 'd'].map((id) => cmd(id, id));
    const ran = await run(
      plan([par('p', children)]),
      Object.fromEntries(children.map((c) => [c.id, quick()])),
    );
    expect(ran.fake.maxRunning).toBe(4);
  });

  it('starts a child only after everything it needs has ended', async () => {
    const children = [cmd('smoke', 'smoke', { needs: ['a', 'b'] }), cmd('a', 'a'), cmd('b', 'b')];
    const ran = await run(plan([par('p', children)]), { a: quick(10), b: quick(1) });
    const first = (k: string) => ran.fake.callsOf(k)[0]!;
    expect(first('smoke').startSeq).toBeGreaterThan(first('a').endSeq!);
    expect(first('smoke').startSeq).toBeGreaterThan(first('b').endSeq!);
    expect(ran.endOrder.at(-1)).toBe('p');
  });

  it('skips children whose need failed (transitively) as upstream-failed', async () => {
    const children = [
      cmd('a', 'a'),
      cmd('b', 'b', { needs: ['a'] }),
      cmd('c', 'c', { needs: ['b'] }),
      cmd('d', 'd'),
    ];
    const ran = await run(plan([par('p', children)]), { a: { exit: 1 } });
    expect(statusOf(ran, 'b')).toBe('skipped/upstream-failed');
    expect(statusOf(ran, 'c')).toBe('skipped/upstream-failed');
    expect(statusOf(ran, 'd')).toBe('ok');
    expect(statusOf(ran, 'p')).toBe('failed');
    expect(ran.result).toMatchObject({ exitCode: 1, failedStep: 'a' });
  });

  it('a need that failed with continue_on_error does not block its dependents and counts as ok', async () => {
    const children = [cmd('a', 'a', { continueOnError: true }), cmd('b', 'b', { needs: ['a'] })];
    const ran = await run(plan([par('p', children)]), { a: { exit: 1 } });
    expect(statusOf(ran, 'b')).toBe('ok');
    expect(statusOf(ran, 'p')).toBe('ok');
  });

  const cases: [BlockPolicy, number, string][] = [
    [{ kind: 'all' }, 0, 'ok'],
    [{ kind: 'all' }, 1, 'failed'],
    [{ kind: 'any' }, 3, 'ok'],
    [{ kind: 'any' }, 4, 'failed'],
    [{ kind: 'majority' }, 1, 'ok'],
    [{ kind: 'majority' }, 2, 'failed'],
    [{ kind: 'min_success', n: 3 }, 1, 'ok'],
    [{ kind: 'min_success', n: 3 }, 2, 'failed'],
    [{ kind: 'max_failed', n: 2 }, 2, 'ok'],
    [{ kind: 'max_failed', n: 2 }, 3, 'failed'],
  ];
  it.each(cases)('policy %o with %i of 4 failing → %s', async (policy, failing, expected) => {
    const children = ['a', 'b', 'c', 'd'].map((id) => cmd(id, id));
    const scripts = Object.fromEntries(children.slice(0, failing).map((c) => [c.id, { exit: 1 }]));
    const ran = await run(plan([par('p', children, { policy })]), scripts);
    expect(statusOf(ran, 'p')).toBe(expected);
    expect(ran.fake.calls).toHaveLength(4);
    expect(ran.result.exitCode).toBe(expected === 'ok' ? 0 : 1);
  });

  it('fail_fast cancels running children and skips unstarted ones as cancelled', async () => {
    const children = [cmd('bad', 'bad'), cmd('slow', 'slow'), cmd('later', 'later', { needs: ['slow'] })];
    const ran = await run(plan([par('p', children, { failFast: true })]), {
      bad: { exit: 1 },
      slow: { hang: true },
    });
    expect(statusOf(ran, 'slow')).toBe('cancelled');
    expect(statusOf(ran, 'later')).toBe('skipped/cancelled');
    expect(statusOf(ran, 'p')).toBe('failed');
    expect(ran.result).toMatchObject({ exitCode: 1, failedStep: 'bad' });
    expect(ran.fake.callsOf('slow')[0]?.req.signal.reason).toEqual({ kind: 'cancel', why: 'fail-fast' });
  });

  it('fail_fast waits until the policy can no longer be met', async () => {
    const children = [cmd('bad', 'bad'), cmd('good', 'good', { needs: ['bad'] }), cmd('other', 'other')];
    const tolerant = par('p', children, { failFast: true, policy: { kind: 'max_failed', n: 2 } });
    const ran = await run(plan([tolerant]), { bad: { exit: 1 }, other: quick() });
    // bad failed and good was skipped because of it: 2 failures, still within max_failed(2).
    expect(statusOf(ran, 'good')).toBe('skipped/upstream-failed');
    expect(statusOf(ran, 'other')).toBe('ok');
    expect(statusOf(ran, 'p')).toBe('ok');
    const strict = par('p', children, { failFast: true, policy: { kind: 'max_failed', n: 1 } });
    const cut = await run(plan([strict]), { bad: { exit: 1 }, other: { hang: true } });
    expect(statusOf(cut, 'other')).toBe('cancelled');
    expect(statusOf(cut, 'p')).toBe('failed');
  });

  it('without fail_fast every child runs before the policy decides', async () => {
    const children = [cmd('bad', 'bad'), cmd('slow', 'slow')];
    const ran = await run(plan([par('p', children)]), { bad: { exit: 1 }, slow: quick(10) });
    expect(statusOf(ran, 'slow')).toBe('ok');
    expect(statusOf(ran, 'p')).toBe('failed');
  });

  it('a sequence child cancelled by fail_fast still runs its finally', async () => {
    const inner = seq('inner', [cmd('slow', 'slow')], [cmd('fin', 'fin')]);
    const ran = await run(plan([par('p', [cmd('bad', 'bad'), inner], { failFast: true })]), {
      bad: { exit: 1 },
      slow: { hang: true },
    });
    expect(statusOf(ran, 'slow')).toBe('cancelled');
    expect(statusOf(ran, 'fin')).toBe('ok');
    expect(statusOf(ran, 'inner')).toBe('cancelled');
  });

  it('a failed parallel block takes the worst status of its children', async () => {
    const children = [cmd('t', 't', { timeoutMs: 5 }), cmd('u', 'u'), cmd('f', 'f', { needs: ['t'] })];
    const ran = await run(plan([par('p', children)]), {
      t: { hang: true },
      u: { error: { code: 'unreachable', message: 'no route' } },
    });
    expect(statusOf(ran, 'p')).toBe('timed-out');
    expect(ran.result.exitCode).toBe(4);
    const worse = await run(plan([par('p', [cmd('t', 't', { timeoutMs: 5 }), cmd('f', 'f')])]), {
      t: { hang: true },
      f: { exit: 1 },
    });
    expect(statusOf(worse, 'p')).toBe('failed');
  });
});
