import type { Reporter } from '../model/events.js';
import {
  createHostRecapReporter,
  createLiveStatus,
  createPrettyReporter,
  wantsLiveStatus,
} from '../report/index.js';
import type { Io } from './io.js';

/**
 * Pretty mode: the scrolling log, the per-host recap at the end, and on a real terminal (not
 * TERM=dumb) the live status area below the log. The status reporter comes first so it erases the
 * area before the summary is printed.
 */
export function prettyReporters(color: boolean, io: Io, env = process.env, perHost = false): Reporter[] {
  const recap = createHostRecapReporter({ out: io.stdout, color, perHost });
  const width = io.stdout.columns;
  if (!wantsLiveStatus(io.stdout.isTTY, env))
    return [createPrettyReporter({ out: io.stdout, color, width, perHost }), recap];
  const live = createLiveStatus({ term: io.stdout, color });
  return [live.reporter, createPrettyReporter({ out: live.out, color, width, perHost }), recap];
}
