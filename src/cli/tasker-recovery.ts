import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, stateHome } from '../store/index.js';

/**
 * TASKER's `--auto-recovery` (S15) on tasker's run history: after a failed real run a small state
 * file keeps the run to resume, the file's content hash and the environment values behind globals;
 * a success deletes it. The results themselves stay in the history (`tasker history`, `show`).
 */
export interface RecoveryState {
  runId: string;
  file: string;
  fileHash: string;
  /** Environment variables referenced by globals, and their values at the failed run (null: unset). */
  env: Record<string, string | null>;
}

export type RecoveryStart =
  | { kind: 'fresh' }
  | { kind: 'resume'; state: RecoveryState; env: NodeJS.ProcessEnv }
  | { kind: 'refused'; reason: string };

/** Where the state of one task file lives: `<state home>/recovery/<hash of its real path>.json`. */
export function recoveryPath(file: string, home: string | undefined, env: NodeJS.ProcessEnv): string {
  const real = realpathSync(file);
  const key = createHash('sha256').update(real).digest('hex').slice(0, 16);
  return join(home ?? stateHome(env), 'recovery', `${key}.json`);
}

/** Environment variables that globals reference (`$VAR`, `${VAR}`), from the file's global lines. */
export function globalEnvNames(text: string): string[] {
  const names = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^task\s*=/.test(line)) break;
    if (line.startsWith('#') || line.startsWith('-') || !line.includes('=')) continue;
    for (const m of line.slice(line.indexOf('=') + 1).matchAll(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g))
      names.add(m[1] ?? m[2]!);
  }
  return [...names];
}

/**
 * Whether this run resumes: a changed file is refused (12); an environment variable behind a global
 * that is now unset or different is refused too, unless `-y` takes the saved value.
 */
export function startRecovery(
  path: string,
  bytes: Buffer,
  yes: boolean,
  env: NodeJS.ProcessEnv,
): RecoveryStart {
  if (!existsSync(path)) return { kind: 'fresh' };
  const state = JSON.parse(readFileSync(path, 'utf8')) as RecoveryState;
  if (state.fileHash !== sha256(bytes))
    return {
      kind: 'refused',
      reason: `recovery state ${path}: the task file changed since the failed run ${state.runId}; delete the state file to start over`,
    };
  const changed = Object.entries(state.env).filter(([k, v]) => (env[k] ?? null) !== v);
  if (changed.length > 0 && !yes)
    return {
      kind: 'refused',
      reason: `recovery: ${changed.map(([k]) => `$${k}`).join(', ')} changed since the failed run ${state.runId}; pass -y to resume with the saved values`,
    };
  const restored = { ...env };
  for (const [k, v] of changed) {
    if (v === null) delete restored[k];
    else restored[k] = v;
  }
  return { kind: 'resume', state, env: restored };
}

/** After a real run: keep the state when it failed, delete it when it succeeded. */
export function finishRecovery(
  path: string,
  outcome: { runId: string; exitCode: number },
  saved: Omit<RecoveryState, 'runId'>,
): void {
  if (outcome.exitCode === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...saved, runId: outcome.runId }, null, 2) + '\n', { mode: 0o600 });
}
