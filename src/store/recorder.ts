import type { Reporter, RunEvent } from '../model/events.js';
import type { HistoryStore, HistoryWrite } from './history-store.js';
import { stepKey } from './run-filter.js';

export interface RecorderOptions {
  /** A write failed: `pending` events wait for the next try (`transient`), or the batch was dropped. */
  onError?: (err: unknown, o: { transient: boolean; pending: number }) => void;
  /** The store took writes again after a transient failure. */
  onRecovered?: () => void;
  /** How long `close` keeps retrying a store that is unavailable before it gives up (ms). */
  flushTimeoutMs?: number;
  /** Pause between retries after a transient failure (ms). */
  retryMs?: number;
}

/** What `close` reports when events could not be written: the history of the run is incomplete. */
export class HistoryIncomplete extends Error {
  override name = 'HistoryIncomplete';
  constructor(
    readonly unwritten: number,
    readonly steps: number,
    options: { cause?: unknown },
  ) {
    super(
      `${unwritten} history event(s) of this run could not be written (${steps} step result(s))`,
      options,
    );
  }
}

/**
 * A reporter that writes the run into the history as it progresses, in event order, without ever
 * making the engine wait. Events of one tick go in one batch (one transaction); while a batch is being
 * written (PostgreSQL) the next ones queue. A transient failure (the server restarting) keeps the
 * batch at the head of the queue and retries; `close` flushes, retrying up to `flushTimeoutMs`, and
 * rejects with HistoryIncomplete if events are still unwritten. A SQLite write is done on the tick
 * it is flushed, so a finished step reaches the file before the runner moves on.
 */
export function createHistoryRecorder(store: HistoryStore, runId: string, o: RecorderOptions = {}): Reporter {
  const writer = store.runWriter(runId);
  const retryMs = o.retryMs ?? 500;
  let queue: HistoryWrite[] = [];
  let inFlight: Promise<void> | undefined;
  let scheduled: (() => void) | undefined;
  let failing = false;
  let lastError: unknown;
  const lost = { events: 0, steps: 0 };

  const writeHead = async (): Promise<void> => {
    const batch = queue;
    queue = [];
    try {
      await writer.write(batch);
      if (failing) o.onRecovered?.();
      failing = false;
    } catch (err) {
      lastError = err;
      const transient = store.isTransient(err);
      if (transient) queue = [...batch, ...queue];
      else count(lost, batch);
      o.onError?.(err, { transient, pending: queue.length });
      failing = transient;
    }
  };
  const flush = (): void => {
    scheduled = undefined;
    if (inFlight || queue.length === 0) return;
    inFlight = writeHead().finally(() => {
      inFlight = undefined;
      if (queue.length > 0) schedule(failing ? retryMs : 0);
    });
  };
  const schedule = (ms: number): void => {
    if (scheduled) return;
    if (ms > 0) {
      const t = setTimeout(flush, ms);
      scheduled = () => clearTimeout(t);
    } else {
      const t = setImmediate(flush);
      scheduled = () => clearImmediate(t);
    }
  };
  const push = (w: HistoryWrite): void => {
    queue.push(w);
    if (!failing) schedule(0);
  };

  return {
    'step-start': (e: Extract<RunEvent, { kind: 'step-start' }>) =>
      push({
        kind: 'step-start',
        key: stepKey(e.id, e.host),
        start: {
          runId,
          stepId: e.id,
          name: e.name,
          kind: 'command',
          command: e.display,
          startedAt: e.at,
          ...(e.host ? { host: e.host } : {}),
        },
      }),
    'step-end': (e) => push({ kind: 'step-end', key: stepKey(e.result.id, e.result.host), result: e.result }),
    'run-end': (e) => push({ kind: 'run-end', result: e.result }),
    close: async () => {
      const deadline = Date.now() + (o.flushTimeoutMs ?? 30_000);
      for (;;) {
        scheduled?.();
        scheduled = undefined;
        if (inFlight) await inFlight;
        if (queue.length === 0) break;
        if (!failing) {
          // A non-transient failure dropped its batch; the rest is written as usual.
          flush();
          continue;
        }
        if (Date.now() >= deadline) {
          count(lost, queue);
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(retryMs, Math.max(0, deadline - Date.now()))));
        flush();
      }
      if (lost.events > 0) throw new HistoryIncomplete(lost.events, lost.steps, { cause: lastError });
    },
  };
}

function count(lost: { events: number; steps: number }, batch: readonly HistoryWrite[]): void {
  lost.events += batch.length;
  lost.steps += batch.filter((w) => w.kind === 'step-end').length;
}
