import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../../../src/run/delay.js';
import { createLimit } from '../../../src/run/limit.js';
import { linkedSignal, skipReasonForAbort, statusForAbort } from '../../../src/run/signals.js';
import { cleanRunDirs, cmd, fanout, par, plan, run, seq } from './plan-builders.js';

afterEach(cleanRunDirs);

describe('global concurrency', () => {
  it('caps running commands across nested blocks and fan-outs', async () => {
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const block = par('p', [
      fanout('f', 'f ${{ host.name }}', hosts),
      seq('s', [par('q', [cmd('a', 'a'), cmd('b', 'b'), cmd('c', 'c')])]),
      cmd('d', 'd'),
    ]);
    const scripts = Object.fromEntries(
      ['a', 'b', 'c', 'd', ...hosts.map((h) => `f ${h}`)].map((k) => [k, { delayMs: 5 }]),
    );
    const ran = await run(plan([block]), scripts, { concurrency: 3 });
    expect(ran.fake.maxRunning).toBe(3);
    expect(ran.fake.calls).toHaveLength(9);
    expect(ran.result.exitCode).toBe(0);
  });

  it("a step's timeout starts once it holds a slot, not while it waits for one", async () => {
    const block = par('p', [cmd('a', 'a'), cmd('b', 'b', { timeoutMs: 50 })]);
    const ran = await run(plan([block]), { a: { delayMs: 150 } }, { concurrency: 1 });
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['a', 'b']);
    expect(ran.byId.get('b')?.status).toBe('ok');
  });

  it('a step cancelled while waiting for a slot never starts', async () => {
    const ctl = new AbortController();
    const block = par('p', [cmd('hold', 'hold'), cmd('queued', 'queued')]);
    const ran = await run(
      plan([block]),
      { hold: { hang: true } },
      {
        concurrency: 1,
        signal: ctl.signal,
        onEventToo: (e) => (e.kind === 'step-start' && e.id === 'hold' ? ctl.abort() : undefined),
      },
    );
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['hold']);
    expect(ran.byId.get('queued')).toMatchObject({
      status: 'cancelled',
      attempts: [{ status: 'cancelled' }],
    });
    expect(ran.result.exitCode).toBe(130);
  });
});

describe('createLimit', () => {
  it('hands slots out in order and gives a freed slot to the next waiter', async () => {
    const limit = createLimit(1);
    const never = new AbortController().signal;
    const first = await limit.acquire(never);
    const order: number[] = [];
    const second = limit.acquire(never).then((r) => (order.push(2), r));
    const third = limit.acquire(never).then((r) => (order.push(3), r));
    expect(limit.active).toBe(1);
    first!();
    (await second)!();
    (await third)!();
    expect(order).toEqual([2, 3]);
    expect(limit.active).toBe(0);
  });

  it('a waiter whose signal aborts gets no slot and leaves the queue', async () => {
    const limit = createLimit(1);
    const hold = await limit.acquire(new AbortController().signal);
    const ctl = new AbortController();
    const waiting = limit.acquire(ctl.signal);
    ctl.abort();
    expect(await waiting).toBeUndefined();
    hold!();
    expect(limit.active).toBe(0);
  });

  it('against a model: slots in FIFO order, never more than max held, aborted waiters skipped', async () => {
    // 3,000 waiters (past the queue's compaction point), every third aborted while queued.
    const limit = createLimit(3);
    const held = new Set<number>();
    const granted: number[] = [];
    let most = 0;
    const tasks = Array.from({ length: 3000 }, async (_, i) => {
      const ctl = new AbortController();
      if (i % 3 === 2) queueMicrotask(() => ctl.abort());
      const release = await limit.acquire(ctl.signal);
      if (!release) return;
      granted.push(i);
      held.add(i);
      most = Math.max(most, held.size);
      await new Promise((r) => setImmediate(r));
      held.delete(i);
      release();
      release(); // twice is harmless
    });
    await Promise.all(tasks);
    const expected = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 3 !== 2 || i < 3);
    expect(granted).toEqual(expected);
    expect(most).toBe(3);
    expect(limit.active).toBe(0);
  });

  it('rejects a cap below 1', () => {
    expect(() => createLimit(0)).toThrow(RangeError);
  });
});

describe('signals and delay', () => {
  it('a linked signal follows its parent with the parent reason', () => {
    const parent = new AbortController();
    const linked = linkedSignal([parent.signal]);
    parent.abort({ kind: 'cancel', why: 'fail-fast' });
    expect(linked.signal.reason).toEqual({ kind: 'cancel', why: 'fail-fast' });
    expect(statusForAbort(linked.signal)).toBe('cancelled');
    expect(skipReasonForAbort(linked.signal)).toBe('cancelled');
  });

  it('times out with a timeout reason once armed', async () => {
    const linked = linkedSignal([]);
    linked.arm(5);
    await new Promise((resolve) => linked.signal.addEventListener('abort', resolve));
    expect(linked.signal.reason).toEqual({ kind: 'timeout', afterMs: 5 });
    expect(statusForAbort(linked.signal)).toBe('timed-out');
    expect(skipReasonForAbort(linked.signal)).toBe('not-reached');
  });

  it('sleep resolves false as soon as its signal aborts', async () => {
    const ctl = new AbortController();
    const waiting = sleep(600_000, ctl.signal);
    ctl.abort();
    expect(await waiting).toBe(false);
    expect(await sleep(0, new AbortController().signal)).toBe(true);
  });
});
