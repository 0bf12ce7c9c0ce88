import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One task's result as TASKER's `--output-json` reports it. */
export interface ReferenceTask {
  exit: number;
  success: boolean;
}

export interface ReferenceRun {
  exitCode: number;
  /** Per-task results; undefined when TASKER wrote no JSON (it writes none for exit 10, `return`, signals). */
  tasks?: Map<number, ReferenceTask>;
}

/** The original TASKER to compare with: `--tasker PATH`, else `$TASKER_BIN`; undefined when neither is set. */
export function referenceTasker(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? (env.TASKER_BIN || undefined);
}

/**
 * Runs the task file through TASKER for real (`FILE -r --output-json=PATH -l DIR --no-task-backup`)
 * and reads back its exit code and per-task results.
 */
export async function runReference(tasker: string, file: string): Promise<ReferenceRun | { error: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tasker-reference-'));
  const json = join(dir, 'result.json');
  const argv = [file, '-r', `--output-json=${json}`, '-l', dir, '--no-task-backup'];
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(tasker, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', (err) => resolve(`cannot start ${tasker}: ${err.message}`));
    child.on('close', (c, signal) => resolve(c ?? `${tasker} was killed by ${signal}`));
  });
  if (typeof code === 'string') return { error: code };
  if (!existsSync(json)) return { exitCode: code };
  try {
    return { exitCode: code, tasks: tasksOf(JSON.parse(readFileSync(json, 'utf8')) as unknown) };
  } catch (err) {
    return { error: `cannot read TASKER's JSON output ${json}: ${String(err)}` };
  }
}

/** `task_results: {"<id>": {exit_code, success, …}}` of TASKER's JSON output (§2.7). */
function tasksOf(doc: unknown): Map<number, ReferenceTask> {
  const results = (doc as { task_results?: Record<string, { exit_code?: unknown; success?: unknown }> })
    .task_results;
  const out = new Map<number, ReferenceTask>();
  for (const [id, r] of Object.entries(results ?? {}))
    if (/^\d+$/.test(id)) out.set(Number(id), { exit: Number(r.exit_code), success: r.success === true });
  return out;
}
