import type { RunList, RunView } from '../api-types.js';
import { followEvents, getJson, Unauthorized } from './api.js';
import { h, replace } from './dom.js';
import { duration, localTime } from './format.js';
import { badge, header, type ViewContext } from './view.js';

const STATUSES = ['', 'running', 'ok', 'failed', 'timed-out', 'unreachable', 'interrupted', 'returned'];
const SINCE = [
  ['', 'any time'],
  ['1h', 'last hour'],
  ['24h', 'last 24 h'],
  ['7d', 'last 7 days'],
  ['30d', 'last 30 days'],
] as const;
const REFRESH_MS = 300;

/** The runs, newest first, filtered by the query string; refetched when the history changes. */
export function listView(root: HTMLElement, ctx: ViewContext): () => void {
  const params = new URLSearchParams(location.search);
  const controller = new AbortController();
  const table = h('div', { class: 'runs', id: 'runs' }, h('p', { class: 'muted' }, 'loading…'));
  const load = async (): Promise<void> => {
    const q = new URLSearchParams();
    for (const k of ['workflow', 'status', 'since', 'until', 'before', 'limit']) {
      const v = params.get(k);
      if (v) q.set(k, v);
    }
    const list = await getJson<RunList>(`/api/runs?${q.toString()}`, controller.signal);
    replace(table, runsTable(list, params));
  };
  replace(root, header(), filters(params, ctx), table);
  const reload = (): void => void load().catch((e: unknown) => controller.signal.aborted || ctx.fail(e));
  reload();
  let pending: ReturnType<typeof setTimeout> | undefined;
  void followEvents(
    '/api/events',
    (e) => {
      if (e.event === 'change') pending ??= setTimeout(() => ((pending = undefined), reload()), REFRESH_MS);
    },
    controller.signal,
    () => ctx.fail(new Unauthorized('token required')),
  );
  return () => {
    controller.abort();
    clearTimeout(pending);
  };
}

function filters(params: URLSearchParams, ctx: ViewContext): HTMLElement {
  const apply = (key: string, value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('before');
    ctx.go(`/?${next.toString()}`);
  };
  const workflow = h('input', {
    name: 'workflow',
    placeholder: 'workflow name or file',
    value: params.get('workflow') ?? '',
  });
  return h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
        e.preventDefault();
        apply('workflow', workflow.value.trim());
      },
    },
    workflow,
    select(
      'status',
      STATUSES.map((s) => [s, s || 'any status']),
      params.get('status') ?? '',
      apply,
    ),
    select('since', SINCE, params.get('since') ?? '', apply),
    h('button', { type: 'submit' }, 'Filter'),
  );
}

function select(
  name: string,
  options: readonly (readonly [string, string])[],
  current: string,
  apply: (key: string, value: string) => void,
): HTMLSelectElement {
  const el = h('select', { name, onchange: () => apply(name, el.value) });
  for (const [value, label] of options) {
    const o = h('option', { value }, label);
    o.selected = value === current;
    el.appendChild(o);
  }
  return el;
}

function runsTable(list: RunList, params: URLSearchParams): HTMLElement {
  if (list.runs.length === 0)
    return h(
      'p',
      { class: 'muted' },
      'No runs match. `tasker run FILE` records one; this page updates by itself.',
    );
  const next = new URLSearchParams(params);
  if (list.next) next.set('before', list.next);
  const first = new URLSearchParams(params);
  first.delete('before');
  return h(
    'div',
    null,
    h('p', { class: 'muted', id: 'total' }, `${list.total} run${list.total === 1 ? '' : 's'}`),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['status', 'workflow', 'started', 'duration', 'exit', 'run', 'failed step'].map((c) =>
            h('th', null, c),
          ),
        ),
      ),
      h('tbody', null, list.runs.map(runRow)),
    ),
    h(
      'nav',
      { class: 'pages' },
      params.get('before') ? h('a', { href: `/?${first.toString()}` }, '« newest') : null,
      list.next ? h('a', { href: `/?${next.toString()}`, id: 'older' }, 'older »') : null,
    ),
  );
}

function runRow(r: RunView): HTMLElement {
  const href = `/runs/${encodeURIComponent(r.id)}`;
  return h(
    'tr',
    { class: `run st-${r.status}`, data: { run: r.id } },
    h('td', null, badge(r.status)),
    h('td', null, h('a', { href }, r.workflow)),
    h('td', null, localTime(r.startedAt)),
    h('td', null, r.status === 'running' ? 'running' : duration(r.durationMs)),
    h('td', null, r.exitCode === null ? '-' : String(r.exitCode)),
    h('td', { class: 'mono' }, h('a', { href }, r.id)),
    h('td', null, r.failedLabel ?? ''),
  );
}
