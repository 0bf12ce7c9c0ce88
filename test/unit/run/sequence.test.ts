import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeExecutor } from './fake-executor.js';
import {
  cleanRunDirs,
  cmd,
  eventSeen,
  ex,
  plan,
  ret,
  run,
  seq,
  statusOf,
  untilTimerPending,
} from './plan-builders.js';

afterEach(cleanRunDirs);

describe('sequence', () => {
  it('emits run-start, step-start/output/end per step and run-end, in order', async () => {
    const ran = await run(plan([cmd('a', 'a'), cmd('b', 'b')]), { a: { stdout: ['hello\n'] } });
    const kinds = ran.events.map((e) =>
      e.kind === 'step-start' || e.kind === 'step-output' ? `${e.kind}:${e.id}` : e.kind,
    );
    expect(kinds).toEqual([
      'run-start',
      'step-start:a',
      'step-output:a',
      'step-end',
      'step-start:b',
      'step-end',
      'run-end',
    ]);
    expect(ran.endOrder).toEqual(['a', 'b']);
    expect(ran.result.status).toBe('ok');
    expect(ran.result.exitCode).toBe(0);
    expect(ran.result.steps.map((s) => s.id)).toEqual(['a', 'b']);
    const output = ran.events.find((e) => e.kind === 'step-output');
    expect(output).toMatchObject({ stream: 'stdout', line: 'hello' });
  });

  it('a failing step stops the sequence; the rest are not-reached and the workflow finally runs', async () => {
    const ran = await run(
      plan([cmd('a', 'a'), cmd('b', 'b'), cmd('c', 'c')], { finally: [cmd('cleanup', 'cleanup')] }),
      {
        b: { exit: 2 },
      },
    );
    expect(statusOf(ran, 'b')).toBe('failed');
    expect(statusOf(ran, 'c')).toBe('skipped/not-reached');
    expect(statusOf(ran, 'cleanup')).toBe('ok');
    expect(ran.endOrder).toEqual(['a', 'b', 'c', 'cleanup']);
    expect(ran.result).toMatchObject({ status: 'failed', exitCode: 1, failedStep: 'b' });
    expect(ran.byId.get('b')?.exitCode).toBe(2);
  });

  it('skips a step whose when is false, with skipReason condition', async () => {
    const ran = await run(
      plan([cmd('a', 'a', { when: ex('1 == 2') }), cmd('b', 'b', { when: ex('1 == 1') })]),
    );
    expect(statusOf(ran, 'a')).toBe('skipped/condition');
    expect(statusOf(ran, 'b')).toBe('ok');
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['b']);
  });

  it('a when that fails to evaluate fails the step with a render error', async () => {
    const ran = await run(plan([cmd('a', 'a', { when: ex('vars.nope == 1') }), cmd('b', 'b')]));
    expect(ran.byId.get('a')).toMatchObject({ status: 'failed', error: { code: 'render' } });
    expect(statusOf(ran, 'b')).toBe('skipped/not-reached');
    expect(ran.result.exitCode).toBe(1);
  });

  it('continue_on_error goes on after a failure and the run is ok', async () => {
    const ran = await run(plan([cmd('a', 'a', { continueOnError: true }), cmd('b', 'b')]), {
      a: { exit: 1 },
    });
    expect(statusOf(ran, 'a')).toBe('failed');
    expect(statusOf(ran, 'b')).toBe('ok');
    expect(ran.result).toMatchObject({ status: 'ok', exitCode: 0 });
  });

  it('on_failure jumps forward: steps in between are jumped-over and the run is ok', async () => {
    const steps = [cmd('a', 'a', { onFailure: 'd' }), cmd('b', 'b'), cmd('c', 'c'), cmd('d', 'd')];
    const ran = await run(plan(steps), { a: { exit: 1 } });
    expect(ran.endOrder).toEqual(['a', 'b', 'c', 'd']);
    expect(statusOf(ran, 'b')).toBe('skipped/jumped-over');
    expect(statusOf(ran, 'c')).toBe('skipped/jumped-over');
    expect(statusOf(ran, 'd')).toBe('ok');
    expect(ran.result.exitCode).toBe(0);
  });

  it('on_success jumps only when the step succeeded', async () => {
    const steps = [cmd('a', 'a', { onSuccess: 'c' }), cmd('b', 'b'), cmd('c', 'c')];
    const ok = await run(plan(steps));
    expect(statusOf(ok, 'b')).toBe('skipped/jumped-over');
    const failed = await run(plan(steps), { a: { exit: 1 } });
    expect(statusOf(failed, 'b')).toBe('skipped/not-reached');
    expect(failed.result.exitCode).toBe(1);
  });

  it('a jump out of a nested block unwinds it, running its finally first', async () => {
    const inner = seq(
      'inner',
      [cmd('x', 'x', { onFailure: 'rescue' }), cmd('y', 'y')],
      [cmd('inner-fin', 'inner-fin')],
    );
    const ran = await run(plan([inner, cmd('after', 'after'), cmd('rescue', 'rescue')]), { x: { exit: 1 } });
    expect(ran.endOrder).toEqual(['x', 'y', 'inner-fin', 'inner', 'after', 'rescue']);
    expect(statusOf(ran, 'y')).toBe('skipped/jumped-over');
    expect(statusOf(ran, 'inner')).toBe('ok');
    expect(statusOf(ran, 'after')).toBe('skipped/jumped-over');
    expect(statusOf(ran, 'rescue')).toBe('ok');
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['x', 'inner-fin', 'rescue']);
    expect(ran.result.exitCode).toBe(0);
  });

  it('a nested block failure propagates after its finally, carrying the failing step', async () => {
    const inner = seq('inner', [cmd('x', 'x'), cmd('y', 'y')], [cmd('fin', 'fin')]);
    const ran = await run(plan([inner, cmd('after', 'after')]), { x: { exit: 3 } });
    expect(ran.endOrder).toEqual(['x', 'y', 'fin', 'inner', 'after']);
    expect(statusOf(ran, 'inner')).toBe('failed');
    expect(ran.result).toMatchObject({ status: 'failed', failedStep: 'x', exitCode: 1 });
  });

  it('a failing finally step fails an ok block, and the other finally steps still run', async () => {
    const inner = seq('inner', [cmd('x', 'x')], [cmd('f1', 'f1'), cmd('f2', 'f2')]);
    const ran = await run(plan([inner]), { f1: { exit: 1 } });
    expect(statusOf(ran, 'f2')).toBe('ok');
    expect(statusOf(ran, 'inner')).toBe('failed');
    expect(ran.result).toMatchObject({ failedStep: 'f1', exitCode: 1 });
  });

  it('a return node ends the workflow with its code after unwinding every finally', async () => {
    const inner = seq(
      'inner',
      [cmd('x', 'x'), ret('stop', 7), cmd('y', 'y')],
      [cmd('inner-fin', 'inner-fin')],
    );
    const ran = await run(plan([inner, cmd('after', 'after')], { finally: [cmd('wf-fin', 'wf-fin')] }));
    expect(ran.endOrder).toEqual(['x', 'stop', 'y', 'inner-fin', 'inner', 'after', 'wf-fin']);
    expect(statusOf(ran, 'y')).toBe('skipped/not-reached');
    expect(statusOf(ran, 'after')).toBe('skipped/not-reached');
    expect(ran.result).toMatchObject({ status: 'returned', returnCode: 7, exitCode: 7 });
  });

  it('returnCode applies after a step that succeeded or failed with continue_on_error, not after an unhandled failure', async () => {
    const ok = await run(plan([cmd('a', 'a', { returnCode: 5 }), cmd('b', 'b')]));
    expect(ok.result).toMatchObject({ status: 'returned', exitCode: 5 });
    expect(statusOf(ok, 'b')).toBe('skipped/not-reached');
    const tolerated = await run(
      plan([cmd('a', 'a', { returnCode: 5, continueOnError: true }), cmd('b', 'b')]),
      { a: { exit: 1 } },
    );
    expect(tolerated.result.exitCode).toBe(5);
    const failed = await run(plan([cmd('a', 'a', { returnCode: 5 }), cmd('b', 'b')]), { a: { exit: 1 } });
    expect(failed.result).toMatchObject({ status: 'failed', exitCode: 1 });
  });

  it('return 0 ends with 0 even when later steps would fail', async () => {
    const ran = await run(plan([ret('done', 0), cmd('bad', 'bad')]), { bad: { exit: 1 } });
    expect(ran.result).toMatchObject({ status: 'returned', exitCode: 0 });
    expect(ran.fake.calls).toHaveLength(0);
  });

  it('sleep pauses after a step that ran, and not after a skipped one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = new FakeExecutor();
      const aEnded = eventSeen((e) => e.kind === 'step-end' && e.result.id === 'a');
      const done = run(plan([cmd('a', 'a', { sleepMs: 30 }), cmd('b', 'b')]), fake, {
        onEventToo: aEnded.check,
      });
      await aEnded.seen;
      await untilTimerPending(() => vi.getTimerCount());
      await vi.advanceTimersByTimeAsync(29);
      expect(fake.calls.map((c) => c.key)).toEqual(['a']);
      await vi.advanceTimersByTimeAsync(1);
      expect((await done).result.exitCode).toBe(0);
      expect(fake.calls.map((c) => c.key)).toEqual(['a', 'b']);
    } finally {
      vi.useRealTimers();
    }
    const skipped = await run(plan([cmd('a', 'a', { sleepMs: 600_000, when: ex('false') }), cmd('b', 'b')]));
    expect(statusOf(skipped, 'b')).toBe('ok');
  });

  it('a block timeout times out the running child and skips the rest; exit 4', async () => {
    const inner = seq('inner', [cmd('slow', 'slow'), cmd('next', 'next')], [], { timeoutMs: 20 });
    const ran = await run(plan([inner]), { slow: { hang: true } });
    expect(statusOf(ran, 'slow')).toBe('timed-out');
    expect(statusOf(ran, 'next')).toBe('skipped/not-reached');
    expect(statusOf(ran, 'inner')).toBe('timed-out');
    expect(ran.result).toMatchObject({ status: 'timed-out', exitCode: 4, failedStep: 'slow' });
  });
});
