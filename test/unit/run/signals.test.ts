import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createLimit } from '../../../src/run/limit.js';
import { linkedSignal, type LinkedSignal } from '../../../src/run/signals.js';

const abortListeners = (s: AbortSignal) => getEventListeners(s, 'abort').length;

// Node reports listener leaks as process warnings; collect them for the duration of a test.
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});

describe('linkedSignal under a 10,000-step fan-out (one scope signal, a link per queued step)', () => {
  it('puts one listener on the parent however many children follow it, and none once all are disposed', () => {
    // A plain controller: Node's default limit (10) applies, as for a signal an API caller passes in.
    const parent = new AbortController();
    const children = Array.from({ length: 10_000 }, () => linkedSignal([parent.signal]));
    expect(abortListeners(parent.signal)).toBe(1);
    for (const c of children.slice(0, 9_999)) c.dispose();
    expect(abortListeners(parent.signal)).toBe(1);
    children[9_999]!.dispose();
    expect(abortListeners(parent.signal)).toBe(0);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('aborts every child still linked with the parent reason, and no disposed one', () => {
    const parent = new AbortController();
    const children = Array.from({ length: 10_000 }, () => linkedSignal([parent.signal]));
    const disposed = children.filter((_, i) => i % 3 === 0);
    for (const c of disposed) c.dispose();
    parent.abort({ kind: 'cancel', why: 'fail-fast' });
    const live = children.filter((_, i) => i % 3 !== 0);
    expect(live.every((c) => c.signal.aborted)).toBe(true);
    expect(live[0]!.signal.reason).toEqual({ kind: 'cancel', why: 'fail-fast' });
    expect(disposed.some((c) => c.signal.aborted)).toBe(false);
    expect(abortListeners(parent.signal)).toBe(0);
  });

  it('cancels 10,000 steps queued for one slot: each gives up its place, nothing stays attached', async () => {
    const parent = new AbortController();
    const limit = createLimit(1);
    const holder = await limit.acquire(new AbortController().signal);
    const queued = Array.from({ length: 10_000 }, async () => {
      const step = linkedSignal([parent.signal]);
      try {
        return await limit.acquire(step.signal);
      } finally {
        step.dispose();
      }
    });
    expect(abortListeners(parent.signal)).toBe(1);
    parent.abort({ kind: 'cancel', why: 'interrupt' });
    const released = await Promise.all(queued);
    expect(released.every((r) => r === undefined)).toBe(true);
    expect(abortListeners(parent.signal)).toBe(0);
    holder?.();
    // The slot is free again: a fresh step gets it at once.
    const next = await limit.acquire(new AbortController().signal);
    expect(next).toBeTypeOf('function');
  });
});

describe('linkedSignal edge cases', () => {
  it('a child detached by an earlier sibling during the abort is not aborted', () => {
    const parent = new AbortController();
    const first = linkedSignal([parent.signal]);
    const second: LinkedSignal = linkedSignal([parent.signal]);
    first.signal.addEventListener('abort', () => second.dispose());
    parent.abort({ kind: 'cancel', why: 'interrupt' });
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
  });

  it('links again after every child of a parent was disposed', () => {
    const parent = new AbortController();
    linkedSignal([parent.signal]).dispose();
    const again = linkedSignal([parent.signal]);
    parent.abort({ kind: 'cancel', why: 'fail-fast' });
    expect(again.signal.reason).toEqual({ kind: 'cancel', why: 'fail-fast' });
  });

  it('follows the first of two parents to abort, and detaches from both', () => {
    const a = new AbortController();
    const b = new AbortController();
    const child = linkedSignal([a.signal, b.signal]);
    b.abort({ kind: 'cancel', why: 'fail-fast' });
    a.abort({ kind: 'cancel', why: 'interrupt' });
    expect(child.signal.reason).toEqual({ kind: 'cancel', why: 'fail-fast' });
    child.dispose();
    expect(abortListeners(a.signal) + abortListeners(b.signal)).toBe(0);
  });

  it('is aborted at once when a parent already is; a child of a child follows the grandparent', () => {
    const done = new AbortController();
    done.abort({ kind: 'cancel', why: 'interrupt' });
    expect(linkedSignal([done.signal]).signal.aborted).toBe(true);
    const root = new AbortController();
    const mid = linkedSignal([root.signal]);
    const leaf = linkedSignal([mid.signal]);
    root.abort({ kind: 'timeout', afterMs: 5 });
    expect(leaf.signal.reason).toEqual({ kind: 'timeout', afterMs: 5 });
  });
});
