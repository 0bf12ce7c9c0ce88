import { afterEach, describe, expect, it } from 'vitest';
import { branch, cleanRunDirs, cmd, plan, run, seq, statusOf } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('branch', () => {
  const node = (cond: string) =>
    branch('b', cond, seq('b.then', [cmd('yes', 'yes')]), seq('b.else', [cmd('no', 'no')]));

  it('runs then when the condition holds and records else as skipped', async () => {
    const ran = await run(plan([cmd('probe', 'probe'), node('steps.probe.stdout ~ "degraded"')]), {
      probe: { stdout: ['degraded\n'] },
    });
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['probe', 'yes']);
    expect(statusOf(ran, 'no')).toBe('skipped/condition');
    expect(statusOf(ran, 'b')).toBe('ok');
  });

  it('runs else when it does not', async () => {
    const ran = await run(plan([node('1 == 2')]));
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['no']);
    expect(statusOf(ran, 'yes')).toBe('skipped/condition');
  });

  it('runs nothing without else when the condition is false', async () => {
    const ran = await run(plan([branch('b', 'false', seq('b.then', [cmd('yes', 'yes')]))]));
    expect(ran.fake.calls).toHaveLength(0);
    expect(statusOf(ran, 'b')).toBe('ok');
  });

  it('a condition that fails to evaluate fails the branch', async () => {
    const ran = await run(plan([node('steps.nope.exit == 0'), cmd('after', 'after')]));
    expect(ran.byId.get('b')).toMatchObject({ status: 'failed', error: { code: 'render' } });
    expect(ran.result).toMatchObject({ exitCode: 1, failedStep: 'b' });
  });

  it('a failure inside the chosen side fails the branch, carrying the failing step', async () => {
    const ran = await run(plan([node('true')]), { yes: { exit: 1 } });
    expect(statusOf(ran, 'b')).toBe('failed');
    expect(ran.result.failedStep).toBe('yes');
  });
});
