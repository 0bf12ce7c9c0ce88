import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import { cleanRunDirs, cmd, par, plan, run, seq, statusOf } from './plan-builders.js';

afterEach(cleanRunDirs);

/** Aborts `controller` the moment step `id` starts. */
function abortOnStart(controller: AbortController, id: string) {
  return (e: RunEvent) => {
    if (e.kind === 'step-start' && e.id === id) controller.abort({ kind: 'cancel', why: 'interrupt' });
  };
}

describe('interrupt', () => {
  it('cancels the running step, skips the rest, runs every finally, and exits 130', async () => {
    const ctl = new AbortController();
    const inner = seq('inner', [cmd('slow', 'slow'), cmd('next', 'next')], [cmd('inner-fin', 'inner-fin')]);
    const p = plan([inner, cmd('after', 'after')], { finally: [cmd('cleanup', 'cleanup')] });
    const ran = await run(
      p,
      { slow: { hang: true } },
      {
        signal: ctl.signal,
        interruptSignal: () => 'SIGINT',
        onEventToo: abortOnStart(ctl, 'slow'),
      },
    );
    expect(statusOf(ran, 'slow')).toBe('cancelled');
    expect(statusOf(ran, 'next')).toBe('skipped/not-reached');
    expect(statusOf(ran, 'inner-fin')).toBe('ok');
    expect(statusOf(ran, 'after')).toBe('skipped/not-reached');
    expect(statusOf(ran, 'cleanup')).toBe('ok');
    expect(ran.result).toMatchObject({ status: 'interrupted', interrupted: 'SIGINT', exitCode: 130 });
    const interrupt = ran.events.filter((e) => e.kind === 'run-interrupt');
    expect(interrupt).toMatchObject([{ signal: 'SIGINT' }]);
    expect(ran.events.at(-1)?.kind).toBe('run-end');
  });

  it('exits 143 on SIGTERM', async () => {
    const ctl = new AbortController();
    const ran = await run(
      plan([cmd('slow', 'slow')]),
      { slow: { hang: true } },
      {
        signal: ctl.signal,
        interruptSignal: () => 'SIGTERM',
        onEventToo: abortOnStart(ctl, 'slow'),
      },
    );
    expect(ran.result).toMatchObject({ status: 'interrupted', interrupted: 'SIGTERM', exitCode: 143 });
  });

  it('cancels every running child of a parallel block', async () => {
    const ctl = new AbortController();
    const block = par('p', [cmd('a', 'a'), cmd('b', 'b'), cmd('c', 'c', { needs: ['a'] })]);
    const ran = await run(
      plan([block]),
      { a: { hang: true }, b: { hang: true } },
      {
        signal: ctl.signal,
        onEventToo: (e) => {
          if (e.kind === 'step-start' && e.id === 'b') ctl.abort({ kind: 'cancel', why: 'interrupt' });
        },
      },
    );
    expect(statusOf(ran, 'a')).toBe('cancelled');
    expect(statusOf(ran, 'b')).toBe('cancelled');
    expect(statusOf(ran, 'c')).toBe('skipped/not-reached');
    expect(ran.result.exitCode).toBe(130);
  });

  it('an already aborted signal runs nothing but the finally', async () => {
    const ctl = new AbortController();
    ctl.abort({ kind: 'cancel', why: 'interrupt' });
    const ran = await run(
      plan([cmd('a', 'a')], { finally: [cmd('cleanup', 'cleanup')] }),
      {},
      { signal: ctl.signal },
    );
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['cleanup']);
    expect(ran.result.exitCode).toBe(130);
  });

  it('finally steps are cut short by the hard signal', async () => {
    const soft = new AbortController();
    const hard = new AbortController();
    const p = plan([cmd('slow', 'slow')], {
      finally: [cmd('fin-slow', 'fin-slow'), cmd('fin-next', 'fin-next')],
    });
    const ran = await run(
      p,
      { slow: { hang: true }, 'fin-slow': { hang: true } },
      {
        signal: soft.signal,
        hardSignal: hard.signal,
        onEventToo: (e) => {
          if (e.kind !== 'step-start') return;
          if (e.id === 'slow') soft.abort({ kind: 'cancel', why: 'interrupt' });
          if (e.id === 'fin-slow') hard.abort({ kind: 'cancel', why: 'interrupt' });
        },
      },
    );
    expect(statusOf(ran, 'fin-slow')).toBe('cancelled');
    expect(statusOf(ran, 'fin-next')).toBe('skipped/not-reached');
    expect(ran.result.exitCode).toBe(130);
  });

  it('finally steps are cut short when the grace period after an interrupt runs out', async () => {
    const soft = new AbortController();
    const p = plan([cmd('slow', 'slow')], { finally: [cmd('fin-slow', 'fin-slow')] });
    const ran = await run(
      p,
      { slow: { hang: true }, 'fin-slow': { hang: true } },
      {
        signal: soft.signal,
        finallyGraceMs: 10,
        onEventToo: abortOnStart(soft, 'slow'),
      },
    );
    expect(statusOf(ran, 'fin-slow')).toBe('cancelled');
  });

  it('an interrupt during a finally step does not cancel it', async () => {
    const soft = new AbortController();
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    const p = plan([cmd('a', 'a')], { finally: [cmd('fin', 'fin')] });
    const ran = await run(
      p,
      { fin: { until } },
      {
        signal: soft.signal,
        onEventToo: (e) => {
          if (e.kind === 'step-start' && e.id === 'fin') {
            soft.abort({ kind: 'cancel', why: 'interrupt' });
            release();
          }
        },
      },
    );
    expect(statusOf(ran, 'fin')).toBe('ok');
    expect(ran.result.exitCode).toBe(130);
  });
});
