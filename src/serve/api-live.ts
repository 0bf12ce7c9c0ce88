import type { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { HistoryStore, StepRecord } from '../store/index.js';
import { hostsOf, runView, stepSignature, stepView } from './views.js';
import type { HistoryWatcher } from './watch.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events. `/api/events`: `change` whenever the history moved (the list refetches).
 * `/api/runs/:id/events`: `snapshot` first, then `steps` (changed step rows) and `run` (the run's
 * row changed), so a page follows a run started by any process.
 */
export function registerLiveRoutes(app: Hono, store: HistoryStore, watcher: HistoryWatcher): void {
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let n = 0;
      await stream.writeSSE({ event: 'hello', data: '{}' });
      const unsubscribe = watcher.subscribe(
        () => void stream.writeSSE({ event: 'change', data: `{"n":${++n}}` }),
      );
      await untilAborted(stream, unsubscribe);
    }),
  );
  app.get('/api/runs/:id/events', async (c) => {
    const id = c.req.param('id');
    if (!(await store.getRun(id))) return c.json({ error: `no run "${id}" in the history` }, 404);
    return streamSSE(c, async (stream) => {
      const follow = runFollower(store, id, stream);
      await follow();
      const unsubscribe = watcher.subscribe(() => void follow());
      await untilAborted(stream, unsubscribe);
    });
  });
}

/** Sends what changed since the last call; calls are serialized so events keep their order. */
function runFollower(store: HistoryStore, id: string, stream: SSEStreamingApi): () => Promise<void> {
  const sent = new Map<number, string>();
  let runSig: string | undefined;
  let chain = Promise.resolve();
  const send = async (): Promise<void> => {
    const run = await store.getRun(id);
    if (!run || stream.aborted) return;
    const steps = await store.stepsOf(id);
    const changed = steps.filter((s) => sent.get(s.seq) !== stepSignature(s));
    changed.forEach((s) => sent.set(s.seq, stepSignature(s)));
    const sig = `${run.status}|${run.endedAt ?? ''}|${run.alert ?? ''}`;
    if (runSig === undefined) {
      runSig = sig;
      const data = { run: runView(run), steps: steps.map(stepView), hosts: hostsOf(steps) };
      return stream.writeSSE({ event: 'snapshot', data: JSON.stringify(data) });
    }
    if (changed.length > 0) await stream.writeSSE({ event: 'steps', data: stepsData(changed) });
    if (sig !== runSig) {
      runSig = sig;
      await stream.writeSSE({ event: 'run', data: JSON.stringify(runView(run)) });
    }
  };
  return () => (chain = chain.then(send, send));
}

function stepsData(steps: readonly StepRecord[]): string {
  return JSON.stringify(steps.map(stepView));
}

async function untilAborted(stream: SSEStreamingApi, cleanup: () => void): Promise<void> {
  await new Promise<void>((resolve) => {
    const beat = setInterval(() => void stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    stream.onAbort(() => {
      clearInterval(beat);
      cleanup();
      resolve();
    });
  });
}
