import { readdirSync, readFileSync } from 'node:fs';

/** Process-group signalling for the local executor: TERM, a grace, then KILL to every member. */

const GROUP_POLL_MS = 25;

export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    // EPERM: some member exists but is not ours to signal; it still counts as alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State, process group and start time (clock ticks) from /proc/PID/stat; undefined when unreadable. */
function statOf(pid: string | number): { state: string; pgid: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', pgid: rest[2] ?? '', start: rest[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** A process's start time in clock ticks since boot (tells a recycled pid apart); undefined if unknown. */
export function startTicks(pid: number): string | undefined {
  const stat = statOf(pid);
  return stat === undefined || stat.state === 'Z' ? undefined : stat.start;
}

/** Live (non-zombie) members of a process group; undefined where there is no /proc to look in. */
export function groupMembers(pgid: number): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return undefined;
  }
  return pids
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      const stat = statOf(pid);
      return stat !== undefined && stat.pgid === String(pgid) && stat.state !== 'Z';
    })
    .map(Number);
}

/** Whether the group still has a running member; zombies (waiting for init to reap them) do not count. */
function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const members = groupMembers(pgid);
  // No procfs: a zombie-only group looks alive until the grace ends.
  return members === undefined || members.length > 0;
}

function sleep(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { done, cancel: () => clearTimeout(timer) };
}

/** TERM the group, wait for it to go (at most `graceMs`), then KILL whatever is left. */
export async function killGroup(pid: number, graceMs: number, closed: Promise<void>): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const grace = sleep(graceMs);
  await Promise.race([closed, grace.done]);
  grace.cancel();
  // The leader and the pipes are gone, but a member without pipes may still be finishing.
  while (groupAlive(pid) && Date.now() < deadline) {
    const tick = sleep(Math.min(GROUP_POLL_MS, deadline - Date.now()));
    await tick.done;
  }
  signalGroup(pid, 'SIGKILL');
}
