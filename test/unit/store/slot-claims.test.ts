import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimSlot, type OncePerOptions } from '../../../src/api/once-per.js';
import type { WorkflowIdentity } from '../../../src/api/identity.js';
import { openHistory, slotAt, sqliteSlotClaims, type SlotClaims } from '../../../src/store/index.js';
import { tempHome } from './helpers.js';

const P = 15 * 60_000;
const S = 5_000;
const K = 1_964_000; // a slot number: 2026-01-01 or so, in 15-minute slots
const wf: WorkflowIdentity = { realFile: '/srv/wf.yaml', fileHash: 'f', varsHash: 'v' };

async function sqliteClaims(): Promise<SlotClaims> {
  const store = await openHistory(tempHome());
  return sqliteSlotClaims(store.db);
}

/** A box: its name and how far its clock is off true time. */
const box = (host: string, offsetMs: number, trueNow: number, o: Partial<OncePerOptions> = {}) => ({
  me: { host, pid: 1000 + host.length },
  o: { periodMs: P, skewMs: S, now: () => trueNow + offsetMs, ...o },
});

describe('slotAt', () => {
  it('counts a start up to the allowance before a boundary in the slot that begins there', () => {
    expect(slotAt(K * P, P, S).slot).toBe(K);
    expect(slotAt(K * P - S, P, S).slot).toBe(K);
    expect(slotAt(K * P - S - 1, P, S).slot).toBe(K - 1);
    expect(slotAt((K + 1) * P - S - 1, P, S)).toMatchObject({ slot: K, startsAt: K * P });
  });

  it('caps the allowance at a quarter of the period', () => {
    expect(slotAt(K * 1000 - 250, 1000, S)).toMatchObject({ slot: K, allowanceMs: 250 });
    expect(slotAt(K * 1000 - 251, 1000, S).slot).toBe(K - 1);
  });

  it('cron on each box: each reads its own clock after its own boundary, any skew below the period maps to one slot', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: (3 * P) / 4 - 1 }), { minLength: 2 }), (latencies) => {
        const slots = new Set(latencies.map((l) => slotAt(K * P + l, P, S).slot));
        expect([...slots]).toEqual([K]);
      }),
    );
  });

  it('one trigger for all boxes (clocks within the bound of true time) maps to one slot', () => {
    const clocks = fc.array(fc.integer({ min: -S, max: S }), { minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(clocks, fc.integer({ min: 0, max: P / 4 }), (offsets, latency) => {
        const slots = new Set(offsets.map((e) => slotAt(K * P + latency + e, P, S).slot));
        expect([...slots]).toEqual([K]);
      }),
    );
    // Why the allowance: without it, a box 1 ms behind at the boundary is still in the slot before.
    expect(slotAt(K * P - 1, P, 0).slot).toBe(K - 1);
    expect(slotAt(K * P + 1, P, 0).slot).toBe(K);
  });
});

describe('claimSlot on the SQLite store', () => {
  it('of three boxes fired at one boundary with skewed clocks, exactly one claims; the others name it', async () => {
    const claims = await sqliteClaims();
    for (const k of [K, K + 1, K + 2]) {
      const boxes = [box('a', -4_000, k * P + 20), box('b', 0, k * P + 20), box('c', 3_000, k * P + 20)];
      const got = await Promise.all(boxes.map((b) => claimSlot(claims, wf, b.me, b.o)));
      const winners = got.filter((g) => g.kind === 'claimed');
      expect(winners).toHaveLength(1);
      for (const g of got.filter((x) => x.kind === 'skip')) {
        expect(g).toMatchObject({ loud: false });
        expect(g.kind === 'skip' && g.message).toMatch(
          /^the 15m slot of \/srv\/wf\.yaml from .* is taken: pid 1001 on a claimed it at/,
        );
      }
    }
  });

  it('a claim is final: it names the run once recorded, and is never taken over', async () => {
    const claims = await sqliteClaims();
    const first = await claimSlot(claims, wf, { host: 'a', pid: 1 }, { periodMs: P, now: () => K * P });
    expect(first.kind).toBe('claimed');
    const again = () =>
      claimSlot(claims, wf, { host: 'b', pid: 2 }, { periodMs: P, now: () => K * P + 60_000 });
    const before = await again();
    expect(before.kind === 'skip' && before.message).toContain('its run not begun');
    if (first.kind === 'claimed') await claims.recordRun(first.key, 'run-1');
    const after = await again();
    expect(after.kind === 'skip' && after.message).toContain('(run run-1)');
  });

  it('another file, other vars or another period is another slot', async () => {
    const claims = await sqliteClaims();
    const me = { host: 'a', pid: 1 };
    const o = { periodMs: P, now: () => K * P };
    expect((await claimSlot(claims, wf, me, o)).kind).toBe('claimed');
    expect((await claimSlot(claims, { ...wf, varsHash: 'w' }, me, o)).kind).toBe('claimed');
    expect((await claimSlot(claims, { ...wf, realFile: '/srv/other.yaml' }, me, o)).kind).toBe('claimed');
    expect((await claimSlot(claims, wf, me, { ...o, periodMs: P / 3 })).kind).toBe('claimed');
    expect((await claimSlot(claims, wf, me, o)).kind).toBe('skip');
  });

  it('a box whose clock is behind by more than the bound is told so (loud), and does not run an old slot', async () => {
    const claims = await sqliteClaims();
    const ahead = await claimSlot(claims, wf, { host: 'a', pid: 1 }, { periodMs: P, now: () => (K + 1) * P });
    expect(ahead.kind).toBe('claimed');
    const late = await claimSlot(claims, wf, { host: 'b', pid: 2 }, { periodMs: P, now: () => K * P + 10 });
    expect(late).toMatchObject({ kind: 'skip', loud: true });
    expect(late.kind === 'skip' && late.message).toContain(
      "this box's clock is behind another's by more than 5s",
    );
  });

  it('keeps only the last few slots of a workflow', async () => {
    const store = await openHistory(tempHome());
    const claims = sqliteSlotClaims(store.db);
    for (let k = K; k < K + 10; k++)
      await claimSlot(claims, wf, { host: 'a', pid: 1 }, { periodMs: P, now: () => k * P });
    const slots = store.db.prepare('SELECT slot FROM slot_claims ORDER BY slot').all() as { slot: number }[];
    expect(slots.map((r) => r.slot)).toEqual([K + 7, K + 8, K + 9]);
  });
});
