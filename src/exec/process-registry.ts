import { appendFileSync, readFileSync } from 'node:fs';
import { groupMembers, startTicks } from './process-group.js';

/**
 * The run directory's `processes` file: one `+ PGID START LABEL` line when a local step's process
 * group starts and `- PGID` when it ends, appended synchronously so a `kill -9` cannot lose one.
 * After a crash it says which groups were running; the next run of the workflow refuses to start
 * while one still has a live member, and `tasker show` says what became of them.
 */
export const REGISTRY_FILE = 'processes';

export interface ProcessRegistry {
  started(pgid: number, label: string): void;
  ended(pgid: number): void;
}

export function createProcessRegistry(path: string): ProcessRegistry {
  const append = (line: string): void => {
    try {
      appendFileSync(path, line, { mode: 0o600 });
    } catch {
      // A registry that cannot be written only loses the after-crash report; the watchdog still guards.
    }
  };
  return {
    started: (pgid, label) => append(`+ ${pgid} ${startTicks(pgid) ?? '-'} ${label.replace(/\s/g, '_')}\n`),
    ended: (pgid) => append(`- ${pgid}\n`),
  };
}

/** A group that was running when the run stopped recording (it never logged its end). */
export interface OpenGroup {
  pgid: number;
  label: string;
  /** The leader's start time in clock ticks, when /proc had it. */
  start?: string;
}

export type GroupState =
  | { kind: 'running'; pids: number[] }
  | { kind: 'gone' }
  /** No /proc to look in. */
  | { kind: 'unknown' };

/** Groups started and never ended, oldest first; an unreadable or missing file has none. */
export function openGroups(path: string): OpenGroup[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const open = new Map<number, OpenGroup>();
  for (const line of text.split('\n')) {
    const [op, id, start, ...label] = line.split(' ');
    const pgid = Number(id);
    if (!Number.isInteger(pgid) || pgid <= 0) continue;
    if (op === '-') open.delete(pgid);
    else if (op === '+')
      open.set(pgid, { pgid, label: label.join(' '), ...(start && start !== '-' ? { start } : {}) });
  }
  return [...open.values()];
}

/**
 * Whether a recorded group still has live members. A pgid is not reused while its group exists, so
 * live members are ours unless a process with that pid exists and started at another time (the
 * group died and the number came back as a new leader).
 */
export function groupState(g: OpenGroup): GroupState {
  const pids = groupMembers(g.pgid);
  if (pids === undefined) return { kind: 'unknown' };
  if (pids.length === 0) return { kind: 'gone' };
  const leaderStart = startTicks(g.pgid);
  if (g.start !== undefined && leaderStart !== undefined && leaderStart !== g.start) return { kind: 'gone' };
  return { kind: 'running', pids };
}

/** Open groups of a registry that still run, each with its live pids. */
export function survivors(path: string): (OpenGroup & { pids: number[] })[] {
  return openGroups(path).flatMap((g) => {
    const state = groupState(g);
    return state.kind === 'running' ? [{ ...g, pids: state.pids }] : [];
  });
}
