import { Chalk, type ChalkInstance } from 'chalk';
import type { Reporter } from '../model/events.js';
import type { RunResult } from '../model/result.js';
import { GROUP_MIN_HOSTS } from './fleet-view.js';
import { hostsWithCount } from './host-ranges.js';
import { isInstanceResult } from '../model/labels.js';

export interface HostTally {
  host: string;
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
}

/** Per host, in inventory order (hosts the plan does not list come last, as first seen). */
export function tallyHosts(result: RunResult, inventoryOrder: readonly string[]): HostTally[] {
  const tallies = new Map<string, HostTally>();
  const of = (host: string): HostTally => {
    let t = tallies.get(host);
    if (!t) tallies.set(host, (t = { host, ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 }));
    return t;
  };
  for (const s of result.steps.filter(isInstanceResult)) {
    if (!s.host) continue;
    const t = of(s.host);
    if (s.status === 'ok') t.ok++;
    if (s.changed === true) t.changed++;
    if (s.status === 'failed' || s.status === 'timed-out' || s.status === 'cancelled') t.failed++;
    if (s.status === 'unreachable') t.unreachable++;
    if (s.status === 'skipped') t.skipped++;
  }
  const rank = new Map(inventoryOrder.map((h, i) => [h, i]));
  return [...tallies.values()].sort(
    (a, b) => (rank.get(a.host) ?? Infinity) - (rank.get(b.host) ?? Infinity),
  );
}

/**
 * Hosts with no failure and identical counts share one line (`web[001-254] (254 hosts)`) when
 * there are GROUP_MIN_HOSTS or more; a host with a failure keeps its own line.
 */
function foldTallies(tallies: readonly HostTally[]): { label: string; tally: HostTally }[] {
  if (tallies.length < GROUP_MIN_HOSTS) return tallies.map((t) => ({ label: t.host, tally: t }));
  const rows: { hosts: string[]; tally: HostTally }[] = [];
  const byCounts = new Map<string, { hosts: string[]; tally: HostTally }>();
  for (const t of tallies) {
    if (t.failed > 0 || t.unreachable > 0) {
      rows.push({ hosts: [t.host], tally: t });
      continue;
    }
    const key = `${t.ok}/${t.changed}/${t.skipped}`;
    const row = byCounts.get(key);
    if (row) row.hosts.push(t.host);
    else {
      const fresh = { hosts: [t.host], tally: t };
      byCounts.set(key, fresh);
      rows.push(fresh);
    }
  }
  return rows.map((r) => ({ label: hostsWithCount(r.hosts, 60), tally: r.tally }));
}

/** Ansible's PLAY RECAP, for people who read runs that way: one line per host (or per alike hosts, see foldTallies); empty without hosts. */
export function renderHostRecap(tallies: readonly HostTally[], c: ChalkInstance, perHost = true): string[] {
  if (tallies.length === 0) return [];
  const rows = perHost ? tallies.map((t) => ({ label: t.host, tally: t })) : foldTallies(tallies);
  const width = Math.max(...rows.map((r) => r.label.length));
  const cell = (name: string, n: number, colour: ChalkInstance): string => {
    const text = `${name}=${n}`;
    return n > 0 ? colour(text) : text;
  };
  return [
    '',
    c.bold(`HOST RECAP (${tallies.length} host${tallies.length === 1 ? '' : 's'})`),
    ...rows.map(({ label, tally: t }) => {
      const bad = t.failed > 0 || t.unreachable > 0;
      const name = (bad ? c.red : c.green)(label.padEnd(width));
      const cells = [
        cell('ok', t.ok, c.green),
        cell('changed', t.changed, c.yellow),
        cell('failed', t.failed, c.red),
        cell('unreachable', t.unreachable, c.magenta),
        cell('skipped', t.skipped, c.cyan),
      ];
      return `  ${name}  ${cells.join('  ')}`;
    }),
  ];
}

/** Prints the host recap after the run's summary (pretty mode); alike hosts share a line unless `perHost`. */
export function createHostRecapReporter(o: {
  out: NodeJS.WritableStream;
  color: boolean;
  perHost?: boolean;
}): Reporter {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  let order: string[] = [];
  return {
    'run-start': (e) => void (order = Object.keys(e.plan.hosts)),
    'run-end': (e) => {
      for (const line of renderHostRecap(tallyHosts(e.result, order), c, o.perHost === true))
        o.out.write(`${line}\n`);
    },
  };
}
