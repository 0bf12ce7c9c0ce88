import type { Context, Hono } from 'hono';
import type { AttemptFields } from '../model/result-codec.js';
import type { HistoryStore, RunRecord, StepRecord } from '../store/index.js';
import type { Stream } from './api-types.js';
import { DEFAULT_PAGE_BYTES, MAX_PAGE_BYTES, outputFile, readPage, type OutputSource } from './output.js';
import { searchOutput } from './search.js';

const MAX_MATCHES = 500;

/** A step's output, paged by byte range and searched as a stream: never read whole. */
export function registerOutputRoutes(app: Hono, store: HistoryStore): void {
  app.get('/api/runs/:id/steps/:step/output', async (c) => {
    const found = await locate(c, store);
    if ('error' in found) return c.json({ error: found.error }, found.status);
    const offset = intParam(c.req.query('offset'), 0);
    const limit = intParam(c.req.query('limit'), DEFAULT_PAGE_BYTES);
    if (offset === undefined || limit === undefined || limit < 1 || limit > MAX_PAGE_BYTES)
      return c.json(
        { error: `offset must be an integer (negative: from the end), limit 1 to ${MAX_PAGE_BYTES}` },
        400,
      );
    const source = await outputSource(store, found);
    if (!source) return c.json({ stream: found.stream, size: 0, offset: 0, end: 0, text: '', missing: true });
    return c.json(await readPage(source, found.stream, offset, limit));
  });
  app.get('/api/runs/:id/steps/:step/output/search', async (c) => {
    const found = await locate(c, store);
    if ('error' in found) return c.json({ error: found.error }, found.status);
    const q = c.req.query('q') ?? '';
    if (q.length === 0 || q.length > 200)
      return c.json({ error: 'q: give 1 to 200 characters to search for' }, 400);
    const source = await outputSource(store, found);
    if (!source) return c.json({ matches: [], truncated: false });
    return c.json(await searchOutput(source, q, MAX_MATCHES));
  });
}

/**
 * The run directory's file when this box has it; else, for a finished step's last output, the copy
 * the history keeps (PostgreSQL; a run made on another box). Earlier attempts have no copy.
 */
async function outputSource(
  store: HistoryStore,
  { run, step, stream, attempt }: Extract<Located, { run: RunRecord }>,
): Promise<OutputSource | undefined> {
  const file = outputFile(run, step, stream, attempt);
  if (file) return { kind: 'file', file };
  if (attempt && attempt !== step.attempts[step.attempts.length - 1]) return undefined;
  const copy = step.status === 'running' ? undefined : await store.stepOutput(step.seq, stream);
  return copy && { kind: 'copy', data: copy.data, host: run.host };
}

type Located =
  | { run: RunRecord; step: StepRecord; stream: Stream; attempt?: AttemptFields }
  | { error: string; status: 400 | 404 };

async function locate(c: Context, store: HistoryStore): Promise<Located> {
  const run = await store.getRun(c.req.param('id') ?? '');
  if (!run) return { error: `no run "${c.req.param('id')}" in the history`, status: 404 };
  const seq = Number(c.req.param('step'));
  const step = Number.isSafeInteger(seq) ? await store.getStep(run.id, seq) : undefined;
  if (!step)
    return { error: `run ${run.id} has no step ${c.req.param('step')} (use a step's seq)`, status: 404 };
  const stream = c.req.query('stream') ?? 'stdout';
  if (stream !== 'stdout' && stream !== 'stderr')
    return { error: 'stream: expected stdout or stderr', status: 400 };
  const text = c.req.query('attempt');
  if (text === undefined || text === '') return { run, step, stream };
  const n = Number(text);
  const attempt = Number.isSafeInteger(n) && n >= 1 ? step.attempts[n - 1] : undefined;
  if (attempt) return { run, step, stream, attempt };
  const count = step.attempts.length;
  return {
    error: `attempt "${text}": step ${step.seq} has ${count === 0 ? 'no recorded attempts' : `attempts 1 to ${count}`}`,
    status: Number.isSafeInteger(n) && n >= 1 ? 404 : 400,
  };
}

function intParam(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
