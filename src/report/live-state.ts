import type { RunEvent } from '../model/events.js';
import type { Plan } from '../model/plan.js';
import { walkPlan } from '../model/plan-walk.js';
import { displayName, instanceLabel } from '../model/labels.js';

/** One fan-out's progress: how many of its hosts finished, and how. */
export interface FanoutProgress {
  id: string;
  total: number;
  done: number;
  failed: number;
  unreachable: number;
  started: boolean;
}

/** What the live status area shows: the executions running now and each fan-out's progress. */
export interface LiveState {
  running: Map<string, number>;
  fanouts: Map<string, FanoutProgress>;
  /** A fan-out's template id (what its instances' events may carry) to the fan-out's id. */
  fanoutOf: Map<string, string>;
  startedAt: number;
}

export function newLiveState(now: number): LiveState {
  return { running: new Map(), fanouts: new Map(), fanoutOf: new Map(), startedAt: now };
}

/** Updates the state for one event; pure apart from mutating `s`. */
export function applyLiveEvent(s: LiveState, e: RunEvent): void {
  switch (e.kind) {
    case 'run-start':
      s.startedAt = e.at;
      indexFanouts(s, e.plan);
      return;
    case 'step-start': {
      s.running.set(instanceLabel(displayName(e.id, e.name), e.host), e.at);
      const p = e.host ? progressOf(s, e.id) : undefined;
      if (p) p.started = true;
      return;
    }
    case 'step-end': {
      const r = e.result;
      s.running.delete(instanceLabel(displayName(r.id, r.name), r.host));
      const p = r.host ? progressOf(s, r.id) : undefined;
      if (!p) return;
      p.done++;
      if (r.status === 'failed' || r.status === 'timed-out') p.failed++;
      if (r.status === 'unreachable') p.unreachable++;
      return;
    }
    case 'run-interrupt':
    case 'step-output':
    case 'step-retry':
    case 'run-end':
      return;
  }
}

function indexFanouts(s: LiveState, plan: Plan): void {
  walkPlan(plan.root, (n) => {
    if (n.kind !== 'fanout') return;
    s.fanouts.set(n.id, {
      id: displayName(n.id, n.name),
      total: n.targets.length,
      done: 0,
      failed: 0,
      unreachable: 0,
      started: false,
    });
    s.fanoutOf.set(n.id, n.id);
    s.fanoutOf.set(n.template.id, n.id);
  });
}

function progressOf(s: LiveState, id: string): FanoutProgress | undefined {
  const bare = id.includes('@') ? id.slice(0, id.lastIndexOf('@')) : id;
  const fanout = s.fanoutOf.get(id) ?? s.fanoutOf.get(bare);
  return fanout === undefined ? undefined : s.fanouts.get(fanout);
}

/** `hosts: 37/200 done · 2 failed · 1 unreachable` (the dashboard says the same). */
export function progressText(p: FanoutProgress): string {
  const parts = [`hosts: ${p.done}/${p.total} done`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.unreachable) parts.push(`${p.unreachable} unreachable`);
  return parts.join(' · ');
}
