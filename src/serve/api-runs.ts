import type { Hono } from 'hono';
import { parseSince } from '../api/history.js';
import type { HistoryStore, RunFilter } from '../store/index.js';
import { hostsOf, runView, stepView } from './views.js';

const STATUSES = ['ok', 'failed', 'timed-out', 'unreachable', 'interrupted', 'returned', 'running'];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

type Query = (name: string) => string | undefined;

/** `GET /api/runs` filters, or the first problem with them (named after its parameter). */
function runFilter(q: Query, now: number): RunFilter | { error: string } {
  const filter: RunFilter = { limit: DEFAULT_LIMIT };
  const workflow = q('workflow');
  if (workflow) filter.workflow = workflow;
  const status = q('status');
  if (status) {
    if (!STATUSES.includes(status))
      return { error: `status "${status}": expected one of ${STATUSES.join(', ')}` };
    filter.status = status;
  }
  for (const key of ['since', 'until'] as const) {
    const text = q(key);
    if (!text) continue;
    const t = parseSince(text, now);
    if (t === undefined)
      return { error: `${key} "${text}": expected an age (24h, 7d) or a date (2026-11-01)` };
    filter[key] = t;
  }
  const limit = q('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
      return { error: `limit "${limit}": expected 1 to ${MAX_LIMIT}` };
    filter.limit = n;
  }
  const before = q('before');
  if (before) {
    const m = /^(\d+):(.+)$/.exec(before);
    if (!m) return { error: `before "${before}": expected the \`next\` value of the previous page` };
    filter.before = { startedAt: Number(m[1]), id: m[2]! };
  }
  return filter;
}

/** The run list and one run: plain reads of the store's public interface. */
export function registerRunRoutes(app: Hono, store: HistoryStore): void {
  app.get('/api/runs', async (c) => {
    const filter = runFilter((k) => c.req.query(k), Date.now());
    if ('error' in filter) return c.json({ error: filter.error }, 400);
    const runs = await store.listRuns(filter);
    const last = runs.length === filter.limit ? runs[runs.length - 1] : undefined;
    return c.json({
      runs: runs.map(runView),
      total: await store.countRuns(filter),
      next: last ? `${last.startedAt}:${last.id}` : null,
    });
  });
  app.get('/api/runs/:id', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (!run) return c.json({ error: `no run "${c.req.param('id')}" in the history` }, 404);
    const steps = await store.stepsOf(run.id);
    return c.json({ run: runView(run), steps: steps.map(stepView), hosts: hostsOf(steps) });
  });
  app.get('/api/runs/:id/plan', async (c) => {
    const id = c.req.param('id');
    if (!(await store.getRun(id))) return c.json({ error: `no run "${id}" in the history` }, 404);
    const plan = await store.planOf(id);
    if (!plan)
      return c.json({ error: `run ${id} was recorded without its plan (before tasker kept plans)` }, 404);
    return c.json({ plan });
  });
}
