import { captureToken, setToken, Unauthorized } from './api.js';
import { h, replace } from './dom.js';
import { listView } from './list-view.js';
import { outputView } from './output-view.js';
import { runView } from './run-view.js';
import type { ViewContext } from './view.js';

const app = document.getElementById('app')!;
let stop: () => void = () => undefined;

function route(): void {
  stop();
  const path = location.pathname;
  const ctx: ViewContext = { go, fail };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  const step = /^\/runs\/([^/]+)\/steps\/(\d+)$/.exec(path);
  if (step) stop = outputView(app, ctx, decodeURIComponent(step[1]!), Number(step[2]));
  else if (run) stop = runView(app, ctx, decodeURIComponent(run[1]!));
  else stop = listView(app, ctx);
}

function go(path: string): void {
  history.pushState(null, '', path);
  route();
  window.scrollTo(0, 0);
}

function fail(err: unknown): void {
  stop();
  stop = () => undefined;
  if (err instanceof Unauthorized) return askToken();
  replace(app, h('p', { class: 'error' }, `Error: ${err instanceof Error ? err.message : String(err)}`));
}

function askToken(): void {
  const input = h('input', { type: 'password', name: 'token', placeholder: 'token', id: 'token' });
  replace(
    app,
    h(
      'form',
      {
        class: 'token',
        onsubmit: (e) => {
          e.preventDefault();
          setToken(input.value.trim());
          route();
        },
      },
      h(
        'p',
        null,
        'This tasker serve needs its token (the one given with --token-file or TASKER_SERVE_TOKEN).',
      ),
      input,
      h('button', { type: 'submit' }, 'Open'),
    ),
  );
}

// Internal links navigate without a reload; modified clicks keep the browser's behaviour.
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest('a');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  const href = a.getAttribute('href');
  if (!href?.startsWith('/')) return;
  e.preventDefault();
  go(href);
});
window.addEventListener('popstate', route);
captureToken();
route();
