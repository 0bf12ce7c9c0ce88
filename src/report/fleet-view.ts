import type { RunEvent } from '../model/events.js';
import { walkPlan } from '../model/plan-walk.js';
import type { Plan } from '../model/plan.js';
import type { StepResult } from '../model/result.js';
import { OutputGroups, type OutputGroup } from './output-groups.js';

/** A fan-out over at least this many hosts is shown grouped (unless `--per-host`); smaller ones stream live. */
export const GROUP_MIN_HOSTS = 10;

/** Fan-out ids to group, with their host names in inventory order. */
export function groupedFanouts(plan: Plan, perHost: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (perHost) return out;
  walkPlan(plan.root, (n) => {
    if (n.kind === 'fanout' && n.targets.length >= GROUP_MIN_HOSTS)
      out.set(
        n.id,
        n.targets.map((t) => (t.kind === 'ssh' ? t.name : 'local')),
      );
  });
  return out;
}

type StepStart = Extract<RunEvent, { kind: 'step-start' }>;
type StepOutput = Extract<RunEvent, { kind: 'step-output' }>;

/**
 * Routes the instance events of large fan-outs into output groups, one set per fan-out: a
 * reporter asks `start`/`line`/`end` first and prints the event itself only when they say no.
 */
export class FleetGrouper {
  private fanouts = new Map<string, string[]>();
  private readonly groups = new Map<string, OutputGroups>();
  private readonly announced = new Set<string>();

  constructor(
    private readonly perHost: boolean,
    private readonly show: (line: string) => string,
  ) {}

  reset(plan: Plan): void {
    this.fanouts = groupedFanouts(plan, this.perHost);
    this.groups.clear();
    this.announced.clear();
  }

  /** The fan-out's hosts when this instance event belongs to a grouped fan-out. */
  hostsOf(id: string, host: string | undefined): readonly string[] | undefined {
    return host === undefined ? undefined : this.fanouts.get(id);
  }

  /** Grouped: true. `first` says the reporter should announce the fan-out (once per run of it). */
  start(e: StepStart): { grouped: boolean; first: boolean } {
    if (!this.hostsOf(e.id, e.host)) return { grouped: false, first: false };
    const first = !this.announced.has(e.id);
    this.announced.add(e.id);
    return { grouped: true, first };
  }

  line(e: StepOutput): boolean {
    if (!this.hostsOf(e.id, e.host)) return false;
    this.of(e.id).line(e.host ?? '', e.stream, e.line);
    return true;
  }

  /** An instance ended: grouped (true) or not. */
  end(r: StepResult): boolean {
    if (!this.hostsOf(r.id, r.host)) return false;
    this.of(r.id).end(r);
    return true;
  }

  /** The fan-out itself ended: its groups, or undefined when it is not grouped. */
  finish(r: StepResult): OutputGroup[] | undefined {
    if (r.host !== undefined || !this.fanouts.has(r.id)) return undefined;
    this.announced.delete(r.id);
    const groups = this.groups.get(r.id)?.take() ?? [];
    this.groups.delete(r.id);
    return groups;
  }

  /** Groups of fan-outs that never reported their own end (the run stopped first). */
  leftovers(): [string, OutputGroup[]][] {
    const out: [string, OutputGroup[]][] = [];
    for (const [id, g] of this.groups) {
      const taken = g.take();
      if (taken.length > 0) out.push([id, taken]);
    }
    this.groups.clear();
    return out;
  }

  private of(id: string): OutputGroups {
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = new OutputGroups(this.show)));
    return g;
  }
}

/** `254 ok · 2 failed · 1 unreachable`, in a fixed order. */
export function tallyText(groups: readonly OutputGroup[]): string {
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g.result.status, (counts.get(g.result.status) ?? 0) + g.hosts.length);
  return countsText(counts);
}

/** `3 ok · 1 failed · 2 unreachable`: hosts per status, in a fixed order. */
export function countsText(counts: ReadonlyMap<string, number>): string {
  const order = ['ok', 'failed', 'timed-out', 'unreachable', 'cancelled', 'skipped'];
  return order
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(' · ');
}
