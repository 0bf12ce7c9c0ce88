import { withHistory } from '../../api/history.js';
import { parseAge } from '../../parse/duration.js';
import { pruneHistory, stateHome, DEFAULT_KEEP_DAYS, DEFAULT_KEEP_RUNS } from '../../store/index.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface PruneFlags {
  keep?: number;
  olderThan?: string;
  dryRun: boolean;
  store?: string;
}

/** `tasker prune`: deletes finished runs past --keep / --older-than, rows and run directories. */
export async function pruneCommand(flags: PruneFlags, io: Io): Promise<number> {
  if (flags.keep === undefined && flags.olderThan === undefined)
    throw new UsageError(
      `prune: give --keep N and/or --older-than AGE (e.g. --older-than 30d); after each run tasker keeps ${DEFAULT_KEEP_RUNS} runs / ${DEFAULT_KEEP_DAYS} days by itself (TASKER_KEEP_RUNS, TASKER_KEEP_DAYS)`,
    );
  let olderThanMs: number | undefined;
  if (flags.olderThan !== undefined) {
    olderThanMs = parseAge(flags.olderThan);
    if (olderThanMs === undefined)
      throw new UsageError(`--older-than "${flags.olderThan}": expected an age such as 30d, 12h or 2w`);
  }
  const home = stateHome(process.env);
  const doomed = await withHistory(
    (store) => pruneHistory(store, home, { keep: flags.keep, olderThanMs }, { dryRun: flags.dryRun }),
    { store: flags.store },
  );
  if (flags.dryRun) for (const r of doomed) io.out(`would delete ${r.id} (${r.workflow}, ${r.status})`);
  io.err(
    `tasker: ${flags.dryRun ? 'would delete' : 'deleted'} ${doomed.length} run${doomed.length === 1 ? '' : 's'}`,
  );
  return 0;
}
