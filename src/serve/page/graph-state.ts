import type { OutlineNode, StepView } from '../api-types.js';
import { hostProgress, outputHref, shortProgress } from './progress.js';

/** What a node shows of its step's rows: one status, a line (a fan-out's progress), a link. */
export interface NodeState {
  status: string;
  sub?: string;
  /** The whole story, on hover. */
  tip?: string;
  href?: string;
}

/**
 * Each step id's state from its rows: running while any instance runs; else a fan-out's own row
 * (its verdict over the hosts) or the latest row. A fan-out shows its hosts' progress and links to
 * its row of the timeline; a command links to its output.
 */
export function nodeStates(
  runId: string,
  steps: readonly StepView[],
  totals: ReadonlyMap<string, number> = new Map(),
): Map<string, NodeState> {
  const rows = new Map<string, StepView[]>();
  for (const s of steps) {
    const list = rows.get(s.id);
    if (list) list.push(s);
    else rows.set(s.id, [s]);
  }
  const states = new Map<string, NodeState>();
  for (const [id, list] of rows) {
    const own = list.filter((s) => s.host === null);
    const hosts = list.filter((s) => s.host !== null);
    const last = (own.length ? own : list)[(own.length ? own : list).length - 1]!;
    const status = list.some((s) => s.status === 'running') ? 'running' : last.status;
    const fanout = last.kind === 'fanout' || hosts.length > 1 || totals.has(id);
    if (fanout) {
      const total = totals.get(id);
      const tip = `${id}: ${hostProgress(hosts, total)}`;
      states.set(id, { status, sub: shortProgress(hosts, total), tip, href: `#step-${id}` });
    } else if (last.kind === 'command' || last.kind === 'copy')
      states.set(id, { status, href: outputHref(runId, last) });
    else states.set(id, { status });
  }
  return states;
}

/** Each fan-out's number of hosts in the plan: the progress counts hosts not started yet too. */
export function fanoutTotals(root: OutlineNode): Map<string, number> {
  const totals = new Map<string, number>();
  const walk = (n: OutlineNode): void => {
    if (n.hosts !== null) totals.set(n.id, n.hosts);
    n.children.forEach(walk);
    n.finally.forEach(walk);
  };
  walk(root);
  return totals;
}
