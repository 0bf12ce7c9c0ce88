import type { RunDetail, StepView } from '../api-types.js';
import { h } from './dom.js';
import { duration, stepLabel } from './format.js';
import { hostProgress, outputHref } from './progress.js';

export { outputHref };

/** Fan-outs up to this many hosts get one bar per host; larger ones a grid of host cells. */
export const BAR_HOSTS = 12;

interface Group {
  id: string;
  steps: StepView[];
}

/** Steps × hosts: one row per step (first-start order), its hosts as bars or cells, on one time axis. */
export function timeline(detail: RunDetail, now: number): HTMLElement {
  const t0 = Date.parse(detail.run.startedAt);
  const t1 = Math.max(detail.run.endedAt ? Date.parse(detail.run.endedAt) : now, t0 + 1);
  const scale = { t0, span: t1 - t0, now };
  const order = new Map(detail.hosts.map((host, i) => [host, i]));
  const rows = groups(detail.steps).map((g) => groupRow(detail.run.id, g, scale, order));
  return h('div', { class: 'timeline', id: 'timeline' }, rows);
}

function groups(steps: readonly StepView[]): Group[] {
  const byId = new Map<string, Group>();
  for (const s of steps) {
    let g = byId.get(s.id);
    if (!g) byId.set(s.id, (g = { id: s.id, steps: [] }));
    g.steps.push(s);
  }
  return [...byId.values()];
}

interface Scale {
  t0: number;
  span: number;
  now: number;
}

function groupRow(runId: string, g: Group, scale: Scale, order: Map<string, number>): HTMLElement {
  const hosts = g.steps.filter((s) => s.host !== null);
  const fanout = hosts.length > 1 || (hosts.length === 1 && g.steps.length === 1 && hosts[0]!.host !== null);
  const head = h(
    'div',
    { class: 'row-head' },
    h('span', { class: 'step-id', title: g.id }, stepLabel(g.steps[0]!, false)),
    fanout ? h('span', { class: 'progress', data: { step: g.id } }, hostProgress(hosts)) : status(g.steps),
  );
  if (!fanout || hosts.length > BAR_HOSTS) {
    const body = fanout
      ? hostGrid(runId, hosts, order)
      : h(
          'div',
          { class: 'bars' },
          g.steps.map((s) => bar(runId, s, scale, '')),
        );
    return h('div', { class: 'row', id: `step-${g.id}`, data: { step: g.id } }, head, body);
  }
  const sorted = [...hosts].sort((a, b) => (order.get(a.host!) ?? 0) - (order.get(b.host!) ?? 0));
  return h(
    'div',
    { class: 'row', id: `step-${g.id}`, data: { step: g.id } },
    head,
    h(
      'div',
      { class: 'bars' },
      sorted.map((s) => bar(runId, s, scale, s.host!)),
    ),
  );
}

function status(steps: readonly StepView[]): HTMLElement {
  const last = steps[steps.length - 1]!;
  const text = `${last.status}${last.exitCode !== null ? ` · exit ${last.exitCode}` : ''} · ${duration(last.durationMs)}`;
  return h(
    'span',
    { class: `status st-${last.status}` },
    steps.length > 1 ? `${text} (${steps.length} runs)` : text,
  );
}

function bar(runId: string, s: StepView, scale: Scale, label: string): HTMLElement {
  const start = s.startedAt ? Date.parse(s.startedAt) : scale.t0;
  const end = s.endedAt ? Date.parse(s.endedAt) : scale.now;
  const left = ((start - scale.t0) / scale.span) * 100;
  const width = Math.max(((end - start) / scale.span) * 100, 0.4);
  const fill = h('span', { class: `fill st-${s.status}` });
  fill.style.left = `${Math.min(Math.max(left, 0), 99.6)}%`;
  fill.style.width = `${Math.min(width, 100 - Math.max(left, 0))}%`;
  const title = `${label || stepLabel(s)}: ${s.status}${s.exitCode !== null ? `, exit ${s.exitCode}` : ''}, ${duration(s.durationMs ?? end - start)}${s.attempts.length > 1 ? `, ${s.attempts.length} attempts` : ''}`;
  return h(
    'a',
    { class: 'bar', href: outputHref(runId, s), title, data: { seq: String(s.seq), status: s.status } },
    h('span', { class: 'bar-label' }, label),
    h('span', { class: 'track' }, fill),
    h(
      'span',
      { class: 'bar-time' },
      s.status === 'running' ? `${duration(end - start)} …` : duration(s.durationMs),
    ),
  );
}

function hostGrid(runId: string, hosts: readonly StepView[], order: Map<string, number>): HTMLElement {
  const sorted = [...hosts].sort((a, b) => (order.get(a.host!) ?? 0) - (order.get(b.host!) ?? 0));
  return h(
    'div',
    { class: 'grid' },
    sorted.map((s) =>
      h('a', {
        class: `cell st-${s.status}`,
        href: outputHref(runId, s),
        title: `${s.host}: ${s.status}${s.exitCode !== null ? `, exit ${s.exitCode}` : ''}`,
        data: { seq: String(s.seq), status: s.status },
      }),
    ),
  );
}
