import { rm } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { HistoryStore } from './history-store.js';
import type { RunRecord } from './records.js';

export interface RetentionPolicy {
  /** Keep the newest N runs. */
  keep?: number;
  /** Delete runs started more than this many ms ago. */
  olderThanMs?: number;
}

/** The automatic retention after each run: 500 runs and 90 days, unless TASKER_KEEP_RUNS / TASKER_KEEP_DAYS say otherwise. */
export const DEFAULT_KEEP_RUNS = 500;
export const DEFAULT_KEEP_DAYS = 90;
const DAY_MS = 86_400_000;

/** Reads TASKER_KEEP_RUNS / TASKER_KEEP_DAYS (0 turns that limit off); a bad value is an error naming it. */
export function retentionFromEnv(env: Readonly<Record<string, string | undefined>>): RetentionPolicy {
  const keep = readCount(env, 'TASKER_KEEP_RUNS', DEFAULT_KEEP_RUNS);
  const days = readCount(env, 'TASKER_KEEP_DAYS', DEFAULT_KEEP_DAYS);
  const policy: RetentionPolicy = {};
  if (keep > 0) policy.keep = keep;
  if (days > 0) policy.olderThanMs = days * DAY_MS;
  return policy;
}

function readCount(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name}="${text}": expected a whole number >= 0 (0 turns this limit off)`);
  return n;
}

/** Deletes finished runs past the policy, their rows and their run directories (only those under the state home). */
export async function pruneHistory(
  store: HistoryStore,
  home: string,
  policy: RetentionPolicy,
  o: { now?: number; dryRun?: boolean } = {},
): Promise<RunRecord[]> {
  if (policy.keep === undefined && policy.olderThanMs === undefined) return [];
  const now = o.now ?? Date.now();
  const doomed = await store.runsToPrune({
    keep: policy.keep,
    before: policy.olderThanMs === undefined ? undefined : now - policy.olderThanMs,
  });
  if (o.dryRun || doomed.length === 0) return doomed;
  await store.deleteRuns(doomed.map((r) => r.id));
  const runs = join(home, 'runs');
  for (const run of doomed)
    if (isInside(runs, run.runDir)) await rm(run.runDir, { recursive: true, force: true });
  return doomed;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
