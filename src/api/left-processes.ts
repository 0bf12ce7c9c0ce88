import { hostname } from 'node:os';
import { join } from 'node:path';
import { groupState, openGroups, REGISTRY_FILE } from '../exec/process-registry.js';
import type { RunRecord } from '../store/index.js';

/** A local step process group a run never saw end, and what it is now. */
export type LeftProcess = { label: string; pgid: number } & (
  { state: 'running'; pids: number[] } | { state: 'gone' } | { state: 'unknown'; why: string }
);

/**
 * The groups in a finished run's process registry that never logged their end: the run stopped
 * recording (tasker was killed) while they ran. Checked against this host's /proc now; a run from
 * another host cannot be checked from here.
 */
export function leftProcesses(run: Pick<RunRecord, 'runDir' | 'host'>): LeftProcess[] {
  const here = run.host === hostname();
  return openGroups(join(run.runDir, REGISTRY_FILE)).map((g): LeftProcess => {
    const base = { label: g.label, pgid: g.pgid };
    if (!here) return { ...base, state: 'unknown', why: `the run was on host ${run.host}` };
    const now = groupState(g);
    if (now.kind === 'running') return { ...base, state: 'running', pids: now.pids };
    if (now.kind === 'gone') return { ...base, state: 'gone' };
    return { ...base, state: 'unknown', why: 'no /proc on this host' };
  });
}
