import type { Reporter, RunEvent } from '../model/events.js';
import type { HistoryStore } from './history-store.js';

/**
 * A reporter that writes the run into the history as it progresses. Events of one tick are queued
 * and committed together in one transaction on the next macrotask, so a finished step reaches the
 * file before the runner moves on, and a 1,000-step run does not pay one commit per event.
 */
export function createHistoryRecorder(
  store: HistoryStore,
  runId: string,
  onError: (err: unknown) => void = () => undefined,
): Reporter {
  const open = new Map<string, number>();
  let queue: (() => void)[] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const flush = (): void => {
    scheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      store.transaction(() => batch.forEach((op) => op()));
    } catch (err) {
      onError(err);
    }
  };
  const push = (op: () => void): void => {
    queue.push(op);
    scheduled ??= setImmediate(flush);
  };
  const keyOf = (id: string, host?: string) => `${id}\u0000${host ?? ''}`;
  return {
    'step-start': (e: Extract<RunEvent, { kind: 'step-start' }>) =>
      push(() => {
        const key = keyOf(e.id, e.host);
        if (open.has(key)) return;
        const seq = store.steps.start({
          runId,
          stepId: e.id,
          name: e.name,
          kind: 'command',
          command: e.display,
          startedAt: e.at,
          ...(e.host ? { host: e.host } : {}),
        });
        open.set(key, seq);
      }),
    'step-end': (e) =>
      push(() => {
        const key = keyOf(e.result.id, e.result.host);
        store.steps.end(runId, e.result, open.get(key));
        open.delete(key);
      }),
    'run-end': (e) =>
      push(() => {
        store.finishRun(e.result);
      }),
    close: () => {
      if (scheduled) clearImmediate(scheduled);
      flush();
      return Promise.resolve();
    },
  };
}
