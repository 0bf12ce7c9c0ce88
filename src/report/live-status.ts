import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import type { Reporter, RunEvent } from '../model/events.js';
import { liveLines } from './live-lines.js';
import { applyLiveEvent, newLiveState } from './live-state.js';
import { StatusArea, type StatusTerminal } from './status-area.js';

export interface LiveStatusOptions {
  term: StatusTerminal;
  color: boolean;
  /** Spinner and elapsed-time refresh. */
  intervalMs?: number;
}

export interface LiveStatus {
  /** Put this before the pretty reporter: it erases the area before the summary is printed. */
  reporter: Reporter;
  /** Where the pretty reporter writes its log: above the area. */
  out: NodeJS.WritableStream;
}

/** Only on a real terminal, in pretty mode, and not for TERM=dumb (no cursor movement there). */
export function wantsLiveStatus(
  isTty: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return isTty === true && env.TERM !== 'dumb' && env.TERM !== undefined && env.TERM !== '';
}

/**
 * The live status area below the scrolling log: running steps with elapsed time, fan-out progress
 * and a spinner. It disappears when the run ends, on the first Ctrl+C and when the process exits.
 */
export function createLiveStatus(o: LiveStatusOptions): LiveStatus {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const state = newLiveState(Date.now());
  let frame = 0;
  let started = false;
  // Nothing to show before the run starts (and nothing is drawn over a validation error).
  const area = new StatusArea(o.term, (width) =>
    started ? liveLines(state, Date.now(), frame, width, c) : [],
  );
  const timer = setInterval(() => {
    frame++;
    area.refresh();
  }, o.intervalMs ?? 100);
  timer.unref();
  const close = (): void => {
    clearInterval(timer);
    area.close();
    process.off('exit', close);
    process.off('SIGINT', close);
    process.off('SIGTERM', close);
  };
  process.on('exit', close);
  // First among the signal listeners: the area is gone before anything says "SIGINT received".
  process.prependListener('SIGINT', close);
  process.prependListener('SIGTERM', close);
  const update = (e: RunEvent): void => {
    started = true;
    applyLiveEvent(state, e);
    area.refresh();
  };
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      area.log(String(chunk));
      done();
    },
  });
  return {
    out,
    reporter: {
      'run-start': update,
      'step-start': update,
      'step-end': update,
      'run-interrupt': close,
      'run-end': close,
      close: () => Promise.resolve(close()),
    },
  };
}
