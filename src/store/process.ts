import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who is running: pid plus its kernel start time, so a recycled pid is not mistaken for the holder. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** `/proc/<pid>/stat` start time in clock ticks; absent where /proc is not available. */
  pidStart?: string;
}

export function currentProcess(): ProcessIdentity {
  const me: ProcessIdentity = { pid: process.pid, host: hostname() };
  const start = processStart(process.pid);
  if (start !== undefined) me.pidStart = start;
  return me;
}

interface Stat {
  state: string;
  start: string;
}

function readStat(pid: number): Stat | undefined | 'no-proc' {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) are space-separated; state is field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', start: rest[19] ?? '' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return process.platform === 'linux' ? undefined : 'no-proc';
    return 'no-proc';
  }
}

function processStart(pid: number): string | undefined {
  const stat = readStat(pid);
  return typeof stat === 'object' ? stat.start : undefined;
}

/** Alive on this host: exists, is not a zombie, and (when known) started when the record says. */
export function isProcessAlive(pid: number, pidStart?: string | null): boolean {
  const stat = readStat(pid);
  if (stat === undefined) return false;
  if (stat === 'no-proc') return signalZero(pid);
  if (stat.state === 'Z') return false;
  return pidStart ? stat.start === pidStart : true;
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
