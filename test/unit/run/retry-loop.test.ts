import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import type { RetryPolicy } from '../../../src/model/plan.js';
import { retryDelayMs, shouldRetry } from '../../../src/run/retry.js';
import { FakeExecutor, type Scripts } from './fake-executor.js';
import {
  cleanRunDirs,
  cmd,
  ex,
  plan,
  run,
  statusOf,
  untilTimerPending,
  type CmdOver,
} from './plan-builders.js';
import { NO_RETRY } from '../model/plan-common.js';

afterEach(() => {
  vi.useRealTimers();
  cleanRunDirs();
});

const retry = (over: Partial<RetryPolicy>): CmdOver => ({ spec: { retry: { ...NO_RETRY, ...over } } });

/** Runs with fake timers, advancing them until the run ends; returns the retry delays requested. */
async function runWithFakeTimers(node: ReturnType<typeof cmd>, scripts: Scripts, random?: () => number) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let finished = false;
  const done = run(plan([node]), new FakeExecutor(scripts), random ? { random } : {}).finally(
    () => (finished = true),
  );
  while (!finished) await vi.advanceTimersByTimeAsync(1000);
  const ran = await done;
  const delays = ran.events.flatMap((e: RunEvent) => (e.kind === 'step-retry' ? [e.delayMs] : []));
  return { ran, delays };
}

describe('retry', () => {
  it('retries a failing step until it succeeds, keeping every attempt', async () => {
    const node = cmd('a', 'a', retry({ attempts: 3 }));
    const ran = await run(plan([node]), { a: [{ exit: 1 }, { exit: 1 }, { exit: 0 }] });
    const result = ran.byId.get('a')!;
    expect(result.status).toBe('ok');
    expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'ok'],
    ]);
    const retries = ran.events.filter((e) => e.kind === 'step-retry');
    expect(retries.map((e) => [e.attempt, e.exitCode])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const starts = ran.events.flatMap((e) => (e.kind === 'step-start' ? [e.attempt] : []));
    expect(starts).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt', async () => {
    const ran = await run(plan([cmd('a', 'a', retry({ attempts: 2 }))]), { a: { exit: 1 } });
    expect(ran.fake.calls).toHaveLength(2);
    expect(ran.result.exitCode).toBe(1);
  });

  it('retries only the exit codes in onExit', async () => {
    const node = cmd('a', 'a', retry({ attempts: 3, onExit: [75] }));
    const listed = await run(plan([node]), { a: [{ exit: 75 }, { exit: 2 }, { exit: 0 }] });
    expect(listed.fake.calls).toHaveLength(2);
    expect(statusOf(listed, 'a')).toBe('failed');
  });

  it('does not retry auth or host-key errors, but does retry unreachable and timed-out', async () => {
    for (const code of ['auth', 'host-key'] as const) {
      const ran = await run(plan([cmd('a', 'a', retry({ attempts: 3 }))]), {
        a: { error: { code, message: 'no' } },
      });
      expect(ran.fake.calls).toHaveLength(1);
    }
    const unreachable = await run(plan([cmd('a', 'a', retry({ attempts: 2 }))]), {
      a: [{ error: { code: 'unreachable', message: 'no route' } }, { exit: 0 }],
    });
    expect(statusOf(unreachable, 'a')).toBe('ok');
    const timedOut = await run(plan([cmd('a', 'a', { ...retry({ attempts: 2 }), timeoutMs: 5 })]), {
      a: [{ hang: true }, { exit: 0 }],
    });
    expect(timedOut.byId.get('a')!.attempts.map((a) => a.status)).toEqual(['timed-out', 'ok']);
  });

  it('waits a fixed delay between attempts', async () => {
    const { delays, ran } = await runWithFakeTimers(cmd('a', 'a', retry({ attempts: 3, delayMs: 2000 })), {
      a: { exit: 1 },
    });
    expect(delays).toEqual([2000, 2000]);
    expect(ran.fake.calls).toHaveLength(3);
  });

  it('backs off exponentially, capped at maxDelay', async () => {
    const node = cmd(
      'a',
      'a',
      retry({ attempts: 5, delayMs: 1000, backoff: 'exponential', maxDelayMs: 5000 }),
    );
    const { delays } = await runWithFakeTimers(node, { a: { exit: 1 } });
    expect(delays).toEqual([1000, 2000, 4000, 5000]);
  });

  it('jitter scales each delay by a factor in [0.5, 1] from the random source', async () => {
    const node = cmd('a', 'a', retry({ attempts: 3, delayMs: 1000, jitter: true }));
    const values = [0, 1];
    const { delays } = await runWithFakeTimers(node, { a: { exit: 1 } }, () => values.shift() ?? 0);
    expect(delays).toEqual([500, 1000]);
  });

  it('does not start the next attempt before the delay has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = new FakeExecutor({ a: { exit: 1 } });
    const done = run(plan([cmd('a', 'a', retry({ attempts: 2, delayMs: 500 }))]), fake);
    await untilTimerPending(() => vi.getTimerCount());
    await vi.advanceTimersByTimeAsync(499);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(fake.calls).toHaveLength(2);
  });

  it('shouldRetry and retryDelayMs agree with the policy table', () => {
    const policy: RetryPolicy = { ...NO_RETRY, attempts: 3, onExit: [] };
    const attempt = {
      attempt: 1,
      status: 'cancelled' as const,
      exitCode: null,
      signal: null,
      startedAt: 0,
      endedAt: 0,
      durationMs: 0,
    };
    expect(shouldRetry(policy, attempt)).toBe(false);
    expect(shouldRetry(policy, { ...attempt, status: 'failed', exitCode: 1 })).toBe(true);
    expect(shouldRetry(policy, { ...attempt, attempt: 3, status: 'failed', exitCode: 1 })).toBe(false);
    expect(
      retryDelayMs({ ...policy, delayMs: 100, backoff: 'exponential', maxDelayMs: 0 }, 4, Math.random),
    ).toBe(800);
  });
});

describe('loop', () => {
  it('with until: stops as ok when it holds, failed iterations do not stop it', async () => {
    const node = cmd('w', 'check', { spec: { loop: { max: 5, until: ex('stdout ~ "ready"'), delayMs: 0 } } });
    const ran = await run(plan([node]), {
      check: [{ exit: 1 }, { stdout: ['starting\n'] }, { stdout: ['ready\n'] }],
    });
    const result = ran.byId.get('w')!;
    expect(result).toMatchObject({ status: 'ok', iterations: 3 });
    expect(result.attempts.map((a) => a.iteration)).toEqual([1, 2, 3]);
    const starts = ran.events.flatMap((e) => (e.kind === 'step-start' ? [e.iteration] : []));
    expect(starts).toEqual([1, 2, 3]);
  });

  it('with until: fails when max runs out, saying so', async () => {
    const node = cmd('w', 'check', { spec: { loop: { max: 3, until: ex('stdout ~ "ready"'), delayMs: 0 } } });
    const ran = await run(plan([node]));
    expect(ran.byId.get('w')).toMatchObject({
      status: 'failed',
      iterations: 3,
      error: { code: 'loop-exhausted' },
    });
    expect(ran.result.exitCode).toBe(1);
  });

  it('until sees the iteration number', async () => {
    const node = cmd('w', 'n ${{ iteration }}', {
      spec: { loop: { max: 9, until: ex('iteration == 2'), delayMs: 0 } },
    });
    const ran = await run(plan([node]));
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['n 1', 'n 2']);
  });

  it('without until: runs max times, stopping at the first failed iteration', async () => {
    const all = cmd('w', 'tick', { spec: { loop: { max: 3, delayMs: 0 } } });
    expect((await run(plan([all]))).fake.calls).toHaveLength(3);
    const ran = await run(plan([all]), { tick: [{ exit: 0 }, { exit: 1 }, { exit: 0 }] });
    expect(ran.fake.calls).toHaveLength(2);
    expect(ran.byId.get('w')).toMatchObject({ status: 'failed', iterations: 2 });
  });

  it('retries inside each iteration, and numbers output files per execution', async () => {
    const node = cmd('w', 'tick', {
      spec: { loop: { max: 2, delayMs: 0 }, retry: { ...NO_RETRY, attempts: 2 } },
    });
    const ran = await run(plan([node]), { tick: [{ exit: 1 }, { exit: 0 }, { exit: 0 }] });
    const result = ran.byId.get('w')!;
    expect(result.attempts.map((a) => [a.iteration, a.attempt, a.status])).toEqual([
      [1, 1, 'failed'],
      [1, 2, 'ok'],
      [2, 1, 'ok'],
    ]);
    expect(result.attempts.map((a) => a.stdoutFile?.split('/').at(-1))).toEqual([
      'w.stdout',
      'w.2.stdout',
      'w.3.stdout',
    ]);
  });

  it('waits delayMs between iterations', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = new FakeExecutor();
    const done = run(plan([cmd('w', 'tick', { spec: { loop: { max: 2, delayMs: 300 } } })]), fake);
    await untilTimerPending(() => vi.getTimerCount());
    await vi.advanceTimersByTimeAsync(299);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(fake.calls).toHaveLength(2);
  });
});
