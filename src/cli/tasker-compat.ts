import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runWorkflowFile } from '../api/run.js';
import { validateWorkflowFile } from '../api/validate.js';
import {
  loadTaskFile,
  mergeTaskerArgs,
  NO_EFFECT,
  parseTaskerArgv,
  type TaskerArgs,
  type TaskFileOptions,
} from '../legacy/index.js';
import type { Plan } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import { createPlainReporter, formatDiagnostic, renderJsonReport, renderPlanTree } from '../report/index.js';
import { installInterrupts } from './interrupts.js';
import type { Io } from './io.js';
import { packageVersion } from './package-root.js';
import { sourceReader } from './source-cache.js';
import type { Diagnostic } from '../model/diagnostic.js';

/** TASKER's exit code for a file that did not validate: 24 without tasks, else 20. */
export function validationExitCode(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return 0;
  return errors.some((d) => d.code === 'no-tasks') ? 24 : 20;
}

/** Where TASKER's `--log-dir` points: the flag, else `$TASK_EXECUTOR_LOG`, else tasker's own state home. */
export function logDirOf(args: TaskerArgs, env: NodeJS.ProcessEnv): string | undefined {
  return args.values.get('--log-dir') ?? env.TASK_EXECUTOR_LOG;
}

/** How the task file is read, from the merged flags. */
export function legacyOptionsOf(args: TaskerArgs, env: NodeJS.ProcessEnv): TaskFileOptions {
  const skipAll = args.flags.has('--skip-validation');
  const o: TaskFileOptions = {
    fireAndForget: args.flags.has('--fire-and-forget'),
    skipSecurity: skipAll || args.flags.has('--skip-security-validation'),
    env,
  };
  const type = args.values.get('--type') ?? env.TASK_EXECUTOR_TYPE;
  if (type) o.defaultExec = type;
  return o;
}

/** `tasker [-r] FILE [options]`: TASKER's command line on tasker's engine; resolves to TASKER's exit code. */
export async function taskerMain(argv: readonly string[], io: Io): Promise<number> {
  const cli = parseTaskerArgv(argv);
  if (cli.flags.has('--version')) return (io.out(`tasker ${packageVersion()} (TASKER 2.2 task files)`), 0);
  if (cli.flags.has('--help') || cli.file === undefined) {
    io.err('usage: tasker [-r] FILE [options]   (TASKER style; see docs/tasker-compat.md)');
    return cli.flags.has('--help') ? 0 : 2;
  }
  const file = cli.file;
  if (!existsSync(file)) {
    io.err(`tasker: task file not found: ${file}; check the path`);
    return 30;
  }
  const first = await loadTaskFile(file, legacyOptionsOf(cli, process.env));
  const args = mergeTaskerArgs(cli, first.fileArgs.flags);
  for (const u of args.unknown) io.err(`tasker: ignoring unknown argument '${u}'`);
  for (const [flag, why] of Object.entries(NO_EFFECT))
    if (args.flags.has(flag)) io.err(`tasker: ${flag} has no effect: ${why}`);
  if (args.flags.has('--show-effective-args')) {
    io.out(
      JSON.stringify(
        { file, flags: [...args.flags].sort(), values: Object.fromEntries(args.values) },
        null,
        2,
      ),
    );
    return 0;
  }
  const legacy = legacyOptionsOf(args, process.env);
  const validation = await validateWorkflowFile(file, { legacy });
  const debug = args.flags.has('--debug') || args.values.get('--log-level')?.toUpperCase() === 'DEBUG';
  const shown = validation.diagnostics.filter((d) => d.severity === 'error' || debug);
  const source = sourceReader();
  for (const d of shown) io.err(formatDiagnostic(d, source(d.span.file)) + '\n');
  const code = validationExitCode(validation.diagnostics);
  if (code !== 0 || !validation.plan) return code || 20;
  if (args.flags.has('--validate-only')) return (io.out(`${file}: valid`), 0);
  if (args.flags.has('--show-plan') && !(await confirmPlan(validation.plan, io))) return 0;
  return runTaskFile(file, validation.plan, args, legacy, io);
}

async function confirmPlan(plan: Plan, io: Io): Promise<boolean> {
  io.out(renderPlanTree(plan));
  io.stdout.write('Proceed with execution? [y/N]: ');
  const answer = await firstLine(process.stdin);
  if (/^y(es)?$/i.test(answer.trim())) return true;
  io.out('Execution cancelled by user.');
  return false;
}

function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      input.removeListener('data', onData);
      input.removeListener('end', done);
      input.pause?.();
      resolve(text.split('\n')[0] ?? '');
    };
    const onData = (chunk: Buffer | string) => {
      text += String(chunk);
      if (text.includes('\n')) done();
    };
    input.on('data', onData);
    input.once('end', done);
  });
}

async function runTaskFile(
  file: string,
  plan: Plan,
  args: TaskerArgs,
  legacy: TaskFileOptions,
  io: Io,
): Promise<number> {
  const start = args.values.get('--start-from');
  const startFrom = start === undefined ? undefined : `t${start.trim()}`;
  if (startFrom !== undefined && !plan.root.children.some((c) => c.id === startFrom)) {
    io.err(`tasker: --start-from ${start}: no top-level task ${start} in ${file}; use one of the task ids`);
    return 12;
  }
  const live = args.flags.has('--run');
  const quiet = ['ERROR', 'WARN'].includes(args.values.get('--log-level')?.toUpperCase() ?? '');
  const interrupts = installInterrupts((sig) => io.err(`\ntasker: ${sig} received: stopping`));
  try {
    const home = logDirOf(args, process.env);
    const outcome = await runWorkflowFile(file, {
      dryRun: !live,
      legacy,
      ...(home ? { home } : {}),
      lock: args.flags.has('--instance-check') && !args.flags.has('--force-instance') ? {} : false,
      ...(startFrom ? { startFrom } : {}),
      reporters: quiet ? [] : [createPlainReporter({ out: io.stdout })],
      signal: interrupts.signal,
      hardSignal: interrupts.hardSignal,
      interruptSignal: () => interrupts.received(),
      onWarning: (m) => io.err(`tasker: warning: ${m}`),
    });
    if (outcome.kind === 'locked') return (io.err(`tasker: ${outcome.message}`), 25);
    if (outcome.kind === 'refused') return (io.err(`tasker: ${outcome.reason}`), 12);
    if (outcome.kind === 'invalid') return validationExitCode(outcome.diagnostics) || 20;
    await afterRun(file, outcome.result, args, live, io);
    return outcome.result.exitCode;
  } finally {
    interrupts.dispose();
  }
}

/** `--output-json`, `-p/--project` and `--alert-on-failure` once the run is over. */
async function afterRun(
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
  const last = result.steps.findLast((s) => /^t\d+$/.test(s.id));
  const at = new Date(result.endedAt).toISOString().replace('T', ' ').replace(/\..*/, '');
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ');
  const row = [
    at,
    result.exitCode === 0 ? 'SUCCESS' : 'FAILURE',
    String(result.exitCode),
    basename(file),
    last ? last.id.slice(1) : '-1',
    last?.host ?? 'localhost',
    clean(last?.display ?? ''),
    result.runDir ?? 'unknown.log',
  ];
  const exists = existsSync(path);
  await appendFile(path, (exists ? '' : header) + row.join('\t') + '\n');
}

function runAlert(script: string, file: string, result: RunResult, io: Io): Promise<void> {
  const env = {
    ...process.env,
    TASKER_EXIT_CODE: String(result.exitCode),
    TASKER_ERROR: result.failedStep ? `Task ${result.failedStep.replace(/^t/, '')} failed` : result.status,
    TASKER_FAILED_TASK: result.failedStep?.replace(/^t/, '') ?? '',
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
