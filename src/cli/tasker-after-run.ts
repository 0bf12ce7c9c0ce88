import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { taskIdOf, type TaskerArgs } from '../legacy/index.js';
import type { RunResult } from '../model/result.js';
import { renderJsonReport } from '../report/index.js';
import type { Io } from './io.js';
import { logDirOf } from './tasker-options.js';

/** `--output-json`, `-p/--project` and `--alert-on-failure` once the run is over. */
export async function afterTaskerRun(
  file: string,
  result: RunResult,
  args: TaskerArgs,
  live: boolean,
  io: Io,
): Promise<void> {
  const base = logDirOf(args, process.env) ?? join(homedir(), 'TASKER');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').replace(/\..*/, '');
  const name = basename(file).replace(/\.[^.]+$/, '');
  if (args.flags.has('--output-json')) {
    const path =
      args.values.get('--output-json') ?? join(homedir(), 'TASKER', 'output', `${name}_${stamp}.json`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderJsonReport(result));
  }
  const project = args.values.get('--project');
  if (project) await appendSummary(join(base, 'project', `${project}.summary`), file, result);
  const alert = args.values.get('--alert-on-failure');
  if (alert && live && result.exitCode !== 0) await runAlert(alert, file, result, io);
}

async function appendSummary(path: string, file: string, result: RunResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const header = '#Timestamp\tStatus\tExit_Code\tTask_File\tTask_ID\tHostname\tCommand\tLog_File\n';
  const last = result.steps.findLast((s) => taskIdOf(s.id) !== undefined);
  const at = new Date(result.endedAt).toISOString().replace('T', ' ').replace(/\..*/, '');
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ');
  const row = [
    at,
    result.exitCode === 0 ? 'SUCCESS' : 'FAILURE',
    String(result.exitCode),
    basename(file),
    last ? String(taskIdOf(last.id)) : '-1',
    last?.host ?? 'localhost',
    clean(last?.display ?? ''),
    result.runDir ?? 'unknown.log',
  ];
  const exists = existsSync(path);
  await appendFile(path, (exists ? '' : header) + row.join('\t') + '\n');
}

function runAlert(script: string, file: string, result: RunResult, io: Io): Promise<void> {
  const failed = result.failedStep === undefined ? undefined : taskIdOf(result.failedStep);
  const env = {
    ...process.env,
    TASKER_EXIT_CODE: String(result.exitCode),
    TASKER_ERROR: failed !== undefined ? `Task ${failed} failed` : result.status,
    TASKER_FAILED_TASK: failed !== undefined ? String(failed) : '',
    TASKER_TASK_FILE: file,
    TASKER_LOG_FILE: result.runDir ?? '',
    TASKER_STATE_FILE: '',
    TASKER_TIMESTAMP: new Date().toISOString().replace('T', ' ').replace(/\..*/, ''),
  };
  return new Promise((resolve) => {
    const child = spawn(script, [], { env, stdio: 'inherit', timeout: 30_000 });
    child.on('error', (err) => (io.err(`tasker: alert script ${script} failed: ${err.message}`), resolve()));
    child.on('close', () => resolve());
  });
}
