import type { PlanView, RunDetail, RunView, StepView } from '../api-types.js';
import { followEvents, getJson, Unauthorized } from './api.js';
import { h, replace } from './dom.js';
import { duration, FAILING, localTime, stepLabel } from './format.js';
import { badge, header, type ViewContext } from './view.js';
import { outputHref, timeline } from './timeline.js';
import { fanoutTotals, nodeStates } from './graph-state.js';
import { planGraph, type PlanGraphView } from './plan-graph.js';
import { hostsPanel } from './hosts-view.js';

const TICK_MS = 1000;

/** One run: facts, why it failed, its steps × hosts on a timeline; live while it runs. */
export function runView(root: HTMLElement, ctx: ViewContext, id: string): () => void {
  const controller = new AbortController();
  const path = `/api/runs/${encodeURIComponent(id)}`;
  const top = h('div', null, header(id), h('p', { class: 'muted' }, 'loading…'));
  const plan = h('section', { class: 'plan', id: 'plan-section' });
  const hosts = hostsPanel(id);
  const steps = h('div', null);
  let detail: RunDetail | undefined;
  let graph: PlanGraphView | undefined;
  let frame = 0;
  // The graph is drawn once and recoloured in place; the other parts are redrawn on each change.
  const draw = (): void => {
    frame = 0;
    if (!detail) return;
    render(top, steps, detail);
    graph?.update(detail.steps);
    hosts.update(detail);
  };
  const later = (): void => void (frame ||= requestAnimationFrame(draw));
  const tick = setInterval(() => detail?.run.status === 'running' && later(), TICK_MS);
  replace(root, top, plan, hosts.el, steps);
  getJson<RunDetail>(path, controller.signal)
    .then((d) => {
      detail = d;
      draw();
      void loadPlan(path, d.run.id, plan, controller.signal).then((g) => {
        graph = g;
        if (detail) graph?.update(detail.steps);
      });
      if (d.run.status !== 'running') return;
      void followEvents(
        `${path}/events`,
        (e) => {
          detail = apply(detail!, e.event, e.data);
          later();
        },
        controller.signal,
        () => ctx.fail(new Unauthorized('token required')),
      );
    })
    .catch((e: unknown) => controller.signal.aborted || ctx.fail(e));
  return () => {
    controller.abort();
    clearInterval(tick);
    cancelAnimationFrame(frame);
  };
}

/** The plan as a graph; a run recorded before plans were kept says so instead. */
async function loadPlan(
  path: string,
  runId: string,
  into: HTMLElement,
  signal: AbortSignal,
): Promise<PlanGraphView | undefined> {
  try {
    const { plan } = await getJson<PlanView>(`${path}/plan`, signal);
    const totals = fanoutTotals(plan.root);
    const graph = planGraph(plan, (steps) => nodeStates(runId, steps, totals));
    replace(into, h('h2', null, 'Plan'), graph.el);
    return graph;
  } catch (e) {
    if (!signal.aborted)
      replace(
        into,
        h('h2', null, 'Plan'),
        h('p', { class: 'muted' }, e instanceof Error ? e.message : String(e)),
      );
    return undefined;
  }
}

function apply(d: RunDetail, event: string, data: string): RunDetail {
  if (event === 'snapshot') return JSON.parse(data) as RunDetail;
  if (event === 'run') return { ...d, run: JSON.parse(data) as RunView };
  if (event !== 'steps') return d;
  const changed = JSON.parse(data) as StepView[];
  const bySeq = new Map(d.steps.map((s) => [s.seq, s]));
  for (const s of changed) bySeq.set(s.seq, s);
  const steps = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const hosts = [...d.hosts];
  for (const s of changed) if (s.host !== null && !hosts.includes(s.host)) hosts.push(s.host);
  return { ...d, steps, hosts };
}

function render(top: HTMLElement, steps: HTMLElement, d: RunDetail): void {
  const r = d.run;
  const y = window.scrollY;
  replace(
    top,
    header(h('span', { class: 'mono' }, r.id)),
    h('h1', null, r.workflow, ' ', badge(r.status)),
    facts(r),
    failures(r, d.steps),
  );
  replace(
    steps,
    h('h2', null, 'Steps'),
    d.steps.length ? timeline(d, Date.now()) : h('p', { class: 'muted' }, 'No step has started yet.'),
  );
  window.scrollTo(0, y);
}

function facts(r: RunView): HTMLElement {
  const rows: [string, string | null][] = [
    ['started', `${localTime(r.startedAt)} on ${r.host} (pid ${r.pid})`],
    [
      'duration',
      r.status === 'running'
        ? `${duration(Date.now() - Date.parse(r.startedAt))} so far`
        : duration(r.durationMs),
    ],
    ['exit code', r.exitCode === null ? null : String(r.exitCode)],
    ['file', r.file],
    ['error', r.error],
    ['failed step', r.failedLabel],
    ['resumed from', r.resumedFrom],
    ['alert', r.alert],
    ['run dir', r.runDir],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows
      .filter(([, v]) => v !== null && v !== '')
      .map(([k, v]) => [h('dt', null, k), h('dd', { data: { fact: k } }, v)]),
  );
}

/** Why it failed: each failing step instance with its exit code and error, linked to its output. */
function failures(r: RunView, steps: readonly StepView[]): HTMLElement | null {
  const bad = steps.filter((s) => FAILING.includes(s.status));
  if (bad.length === 0) return null;
  const shown = bad.slice(0, 50);
  return h(
    'section',
    { class: 'failures', id: 'failures' },
    h('h2', null, `Failures (${bad.length})`),
    h(
      'ul',
      null,
      shown.map((s) =>
        h(
          'li',
          null,
          h('a', { href: outputHref(r.id, s) }, stepLabel(s)),
          ` ${s.status}`,
          s.exitCode !== null ? `, exit ${s.exitCode}` : '',
          s.signal ? `, signal ${s.signal}` : '',
          s.error?.message ? `: ${s.error.message}` : '',
          s.note ? ` (${s.note})` : '',
        ),
      ),
    ),
    bad.length > shown.length ? h('p', { class: 'muted' }, `and ${bad.length - shown.length} more`) : null,
  );
}
