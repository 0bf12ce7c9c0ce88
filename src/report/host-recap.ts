import { Chalk, type ChalkInstance } from 'chalk';
import type { Reporter } from '../model/events.js';
import type { RunResult } from '../model/result.js';
import { isInstanceResult } from './labels.js';

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

/** Ansible's PLAY RECAP, for people who read runs that way: one line per host; empty without hosts. */
export function renderHostRecap(tallies: readonly HostTally[], c: ChalkInstance): string[] {
  if (tallies.length === 0) return [];
  const width = Math.max(...tallies.map((t) => t.host.length));
  const cell = (name: string, n: number, colour: ChalkInstance): string => {
    const text = `${name}=${n}`;
    return n > 0 ? colour(text) : text;
  };
  return [
    '',
    c.bold(`HOST RECAP (${tallies.length} host${tallies.length === 1 ? '' : 's'})`),
    ...tallies.map((t) => {
      const bad = t.failed > 0 || t.unreachable > 0;
      const name = (bad ? c.red : c.green)(t.host.padEnd(width));
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

/** Prints the host recap after the run's summary (pretty mode). */
export function createHostRecapReporter(o: { out: NodeJS.WritableStream; color: boolean }): Reporter {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  let order: string[] = [];
  return {
    'run-start': (e) => void (order = Object.keys(e.plan.hosts)),
    'run-end': (e) => {
      for (const line of renderHostRecap(tallyHosts(e.result, order), c)) o.out.write(`${line}\n`);
    },
  };
}
