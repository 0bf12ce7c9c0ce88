import { formatTable, parseSince, publicRun, withHistory } from '../../api/history.js';
import { formatElapsed } from '../../report/durations.js';
import type { RunRecord } from '../../store/index.js';
import type { Io } from '../io.js';
import { parseChoice, UsageError } from '../usage-error.js';

export interface HistoryFlags {
  workflow?: string;
  status?: string;
  since?: string;
  limit: number;
  json: boolean;
  store?: string;
}

const STATUSES = ['ok', 'failed', 'timed-out', 'unreachable', 'interrupted', 'returned', 'running'] as const;

/** `tasker history`: recorded runs, newest first; exit 0 (also when there are none). */
export async function historyCommand(flags: HistoryFlags, io: Io): Promise<number> {
  const status = flags.status === undefined ? undefined : parseChoice('--status', flags.status, STATUSES);
  let since: number | undefined;
  if (flags.since !== undefined) {
    since = parseSince(flags.since, Date.now());
    if (since === undefined)
      throw new UsageError(
        `--since "${flags.since}": expected an age such as 24h or 7d, or a date such as 2026-11-01`,
      );
  }
  const runs = await withHistory(
    (store) => store.listRuns({ workflow: flags.workflow, status, since, limit: flags.limit }),
    { store: flags.store },
  );
  if (flags.json) {
    io.out(JSON.stringify(runs.map(publicRun), null, 2));
    return 0;
  }
  if (runs.length === 0) {
    io.err('tasker: no runs recorded match; `tasker run FILE` records one');
    return 0;
  }
  const header = ['RUN', 'STARTED', 'STATUS', 'EXIT', 'DURATION', 'WORKFLOW', 'FAILED STEP'];
  for (const line of formatTable([header, ...runs.map(row)])) io.out(line);
  return 0;
}

function row(r: RunRecord): string[] {
  return [
    r.id,
    new Date(r.startedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    r.status,
    r.exitCode === null ? '-' : String(r.exitCode),
    formatElapsed(r.durationMs),
    r.workflow,
    r.failedLabel ?? '',
  ];
}
