import type { RunDetail, StepView } from '../api-types.js';
import { h, replace } from './dom.js';
import { duration, FAILING, stepLabel } from './format.js';
import { badge } from './view.js';
import { BAR_HOSTS, outputHref } from './timeline.js';

const PAGE = 100;
const ALL = 'all';
const FAILING_CHIP = 'failing';

interface State {
  step?: string;
  /** The group a person picked; unset: failing when any host failed, else all. */
  chip?: string;
  query: string;
  shown: number;
}

/**
 * The hosts of a large fan-out, grouped: a chip per status with its count, the hosts of the chosen
 * group (failing ones first by default) listed 100 at a time, and a name search. Built once and
 * updated in place, so the search box keeps its text and focus while the run updates live.
 */
export function hostsPanel(runId: string): { el: HTMLElement; update(d: RunDetail): void } {
  const state: State = { query: '', shown: PAGE };
  let last: RunDetail | undefined;
  const redraw = (): void => {
    if (last) draw(last);
  };
  const pick = h('div', { class: 'host-steps' });
  const chips = h('div', { class: 'chips', id: 'host-chips' });
  const search = h('input', { id: 'host-search', placeholder: 'find a host', name: 'host' });
  search.addEventListener('input', () => {
    state.query = search.value.trim().toLowerCase();
    state.shown = PAGE;
    redraw();
  });
  const list = h('div', { class: 'host-list', id: 'host-list' });
  const body = h('div', null, pick, h('div', { class: 'host-tools' }, chips, search), list);
  const el = h('section', { class: 'hosts', id: 'hosts' });

  const draw = (d: RunDetail): void => {
    const fanouts = bigFanouts(d.steps);
    if (fanouts.size === 0) return replace(el);
    if (!el.firstChild) replace(el, h('h2', null, 'Hosts'), body);
    if (!state.step || !fanouts.has(state.step)) state.step = [...fanouts.keys()][0]!;
    const hosts = fanouts.get(state.step)!;
    const failing = hosts.filter((s) => FAILING.includes(s.status));
    // Until a person picks a group, the failing hosts are shown as soon as there are any.
    const on = state.chip ?? (failing.length ? FAILING_CHIP : ALL);
    const choose = (patch: Partial<State>) => () => {
      Object.assign(state, patch, { shown: PAGE });
      redraw();
    };
    replace(
      pick,
      fanouts.size > 1
        ? [...fanouts.keys()].map((id) =>
            h(
              'button',
              {
                type: 'button',
                class: id === state.step ? 'on' : '',
                onclick: choose({ step: id, chip: undefined }),
              },
              stepLabel(fanouts.get(id)![0]!, false),
            ),
          )
        : null,
    );
    const groups = countByStatus(hosts);
    const chip = (key: string, label: string, n: number): HTMLElement =>
      h(
        'button',
        {
          type: 'button',
          class: `chip st-${key}${on === key ? ' on' : ''}`,
          data: { chip: key },
          onclick: choose({ chip: key }),
        },
        `${label} ${n}`,
      );
    replace(
      chips,
      chip(ALL, ALL, hosts.length),
      failing.length ? chip(FAILING_CHIP, FAILING_CHIP, failing.length) : null,
      [...groups].map(([status, n]) => chip(status, status, n)),
    );
    const chosen = hosts.filter(
      (s) =>
        (on === ALL || (on === FAILING_CHIP ? FAILING.includes(s.status) : s.status === on)) &&
        (!state.query || s.host!.toLowerCase().includes(state.query)),
    );
    replace(list, hostTable(runId, chosen.slice(0, state.shown)), more(chosen.length, state, redraw));
  };
  return {
    el,
    update(d) {
      last = d;
      draw(d);
    },
  };
}

/** Fan-outs with more hosts than get a bar each: their host rows in fan-out order. */
function bigFanouts(steps: readonly StepView[]): Map<string, StepView[]> {
  const byId = new Map<string, StepView[]>();
  for (const s of steps) {
    if (s.host === null) continue;
    const list = byId.get(s.id);
    if (list) list.push(s);
    else byId.set(s.id, [s]);
  }
  return new Map([...byId].filter(([, list]) => list.length > BAR_HOSTS));
}

function countByStatus(hosts: readonly StepView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of hosts) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}

/** Failures first, then running, then the rest. */
function rank(status: string): number {
  if (FAILING.includes(status)) return 0;
  return status === 'running' ? 1 : 2;
}

function hostTable(runId: string, hosts: readonly StepView[]): HTMLElement {
  if (hosts.length === 0) return h('p', { class: 'muted' }, 'No host matches.');
  return h(
    'table',
    { class: 'host-table' },
    hosts.map((s) =>
      h(
        'tr',
        { class: 'host-row', data: { host: s.host!, status: s.status } },
        h('td', null, h('a', { href: outputHref(runId, s) }, s.host)),
        h('td', null, badge(s.status)),
        h('td', { class: 'num' }, s.exitCode === null ? '' : `exit ${s.exitCode}`),
        h('td', { class: 'num' }, duration(s.durationMs)),
        h('td', { class: 'why' }, s.error?.message ?? s.stderrTail.at(-1) ?? s.note ?? ''),
      ),
    ),
  );
}

function more(total: number, state: State, redraw: () => void): HTMLElement | null {
  if (total <= state.shown) return h('p', { class: 'muted' }, `${total} host${total === 1 ? '' : 's'}`);
  return h(
    'p',
    { class: 'muted' },
    `${state.shown} of ${total} hosts `,
    h(
      'button',
      {
        type: 'button',
        id: 'more-hosts',
        onclick: () => {
          state.shown += PAGE;
          redraw();
        },
      },
      `show ${Math.min(PAGE, total - state.shown)} more`,
    ),
  );
}
