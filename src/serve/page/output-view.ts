import type { OutputPage, RunDetail, SearchResult, Stream, StepView } from '../api-types.js';
import { getJson } from './api.js';
import { h, replace } from './dom.js';
import { bytes, duration, stepLabel } from './format.js';
import { badge, header, type ViewContext } from './view.js';
import { renderAnsi } from './render-ansi.js';
import { attemptNav, chosenAttempt, outputQuery } from './attempts.js';

const PAGE = 64 * 1024;
const FOLLOW_MS = 1000;
const CONTEXT = 2048;

interface State {
  stream: Stream;
  page?: OutputPage;
  query: string;
  results?: SearchResult;
}

/** One step's output, a page (64 KiB) at a time, with server-side search; follows a running step. */
export function outputView(root: HTMLElement, ctx: ViewContext, runId: string, seq: number): () => void {
  const controller = new AbortController();
  const base = `/api/runs/${encodeURIComponent(runId)}/steps/${seq}/output`;
  const params = new URLSearchParams(location.search);
  const state: State = { stream: params.get('stream') === 'stderr' ? 'stderr' : 'stdout', query: '' };
  const attempt = chosenAttempt(params);
  const pre = h('pre', { class: 'output', id: 'output' });
  const info = h('div', { class: 'page-info', id: 'page-info' });
  const results = h('div', { class: 'results', id: 'results' });
  let step: StepView | undefined;
  let follow: ReturnType<typeof setInterval> | undefined;

  const load = async (offset: number): Promise<void> => {
    const q = `${outputQuery(state.stream, attempt)}&offset=${offset}&limit=${PAGE}`;
    state.page = await getJson<OutputPage>(`${base}?${q}`, controller.signal);
    draw();
  };
  const draw = (): void => {
    const p = state.page;
    if (!p) return;
    const { node } = renderAnsi(p.text, {}, state.query);
    replace(pre, p.missing ? h('span', { class: 'muted' }, `no ${state.stream} recorded`) : node);
    replace(info, pageInfo(p, load));
    pre.querySelector('mark')?.scrollIntoView({ block: 'center' });
  };
  const search = async (q: string): Promise<void> => {
    state.query = q;
    if (!q) return replace(results);
    const enc = encodeURIComponent(q);
    state.results = await getJson<SearchResult>(
      `${base}/search?${outputQuery(state.stream, attempt)}&q=${enc}`,
      controller.signal,
    );
    // A few lines of context before the match; the server moves the page on to a line start.
    const open = (offset: number): void => void load(Math.max(0, offset - CONTEXT)).catch(ctx.fail);
    replace(results, resultList(state.results, open));
    draw();
  };
  const queryInput = h('input', { name: 'q', placeholder: 'search this output', id: 'search' });
  const form = h(
    'form',
    {
      class: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        void search(queryInput.value.trim()).catch(ctx.fail);
      },
    },
    queryInput,
    h('button', { type: 'submit' }, 'Search'),
  );
  const tabs = h('nav', { class: 'tabs' });
  const title = h('h1', null, `step ${seq}`);
  const drawTabs = (): void =>
    replace(
      tabs,
      (['stdout', 'stderr'] as const).map((s) =>
        h(
          'a',
          {
            href: `/runs/${encodeURIComponent(runId)}/steps/${seq}?${outputQuery(s, attempt)}`,
            class: s === state.stream ? 'on' : '',
          },
          s,
        ),
      ),
    );
  drawTabs();
  replace(
    root,
    header(h('a', { href: `/runs/${encodeURIComponent(runId)}`, class: 'mono' }, runId), `step ${seq}`),
    title,
    tabs,
    form,
    results,
    info,
    pre,
  );

  getJson<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`, controller.signal)
    .then((d) => {
      step = d.steps.find((s) => s.seq === seq);
      if (step) replace(title, stepLabel(step), ' ', badge(step.status), ` ${duration(step.durationMs)}`);
      if (step?.display) title.after(h('pre', { class: 'command' }, step.display));
      const nav = step && attemptNav(runId, step, attempt, state.stream);
      if (nav) tabs.before(nav);
      if (step?.status === 'running')
        follow = setInterval(() => {
          const p = state.page;
          // Following: reload the last page while the reader is on it.
          if (p && p.end >= p.size) void load(p.offset).catch(() => undefined);
        }, FOLLOW_MS);
      return load(0);
    })
    .catch((e: unknown) => controller.signal.aborted || ctx.fail(e));
  return () => {
    controller.abort();
    clearInterval(follow);
  };
}

function pageInfo(p: OutputPage, load: (offset: number) => Promise<void>): HTMLElement {
  const nav = (label: string, offset: number, enabled: boolean, id: string): HTMLElement =>
    h('button', { type: 'button', id, onclick: () => void load(offset) }, label);
  const buttons = [
    nav('« first', 0, p.offset > 0, 'first'),
    nav('‹ previous', Math.max(0, p.offset - PAGE), p.offset > 0, 'prev'),
    nav('next ›', p.end, p.end < p.size, 'next'),
    nav('last »', -PAGE, p.end < p.size, 'last'),
  ];
  buttons.forEach((b, i) => ((b as HTMLButtonElement).disabled = i < 2 ? p.offset === 0 : p.end >= p.size));
  return h(
    'div',
    null,
    `bytes ${p.offset.toLocaleString()}–${p.end.toLocaleString()} of ${bytes(p.size)} `,
    buttons,
    p.copyFrom
      ? h(
          'span',
          { class: 'muted copy-note' },
          ` the history's copy: every byte is in the run's files on ${p.copyFrom}`,
        )
      : null,
  );
}

function resultList(r: SearchResult, open: (offset: number) => void): HTMLElement {
  if (r.matches.length === 0) return h('p', { class: 'muted' }, 'no match');
  return h(
    'div',
    null,
    h(
      'p',
      { class: 'muted' },
      `${r.matches.length}${r.truncated ? '+' : ''} matching line${r.matches.length === 1 ? '' : 's'}`,
    ),
    h(
      'ol',
      null,
      r.matches.map((m) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: '#', class: 'match', onclick: (e) => (e.preventDefault(), open(m.offset)) },
            `line ${m.line}`,
          ),
          ' ',
          h('code', null, m.text),
        ),
      ),
    ),
  );
}
