import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The state home: `$TASKER_HOME`, else `$XDG_STATE_HOME/tasker`, else `~/.local/state/tasker`. */
export function stateHome(env: Readonly<Record<string, string | undefined>>): string {
  if (env.TASKER_HOME) return env.TASKER_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'tasker');
  return join(env.HOME ?? homedir(), '.local', 'state', 'tasker');
}

/** Sortable and unique: `20261122T031500Z-3f9a1c`. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runDirFor(home: string, runId: string): string {
  return join(home, 'runs', runId);
}
