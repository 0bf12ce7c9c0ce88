import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { runWorkflowFile } from '../api/run.js';
import { validateWorkflowFile, type Validation } from '../api/validate.js';
import {
  detectFormat,
  mergeTaskerArgs,
  NO_EFFECT,
  parseTaskerArgv,
  stepIdOfText,
  taskFileArgs,
  type TaskerArgs,
  type TaskFileOptions,
} from '../legacy/index.js';
import type { Plan } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import { sha256 } from '../store/index.js';
import { createPlainReporter, formatDiagnostic, renderPlanTree } from '../report/index.js';
import { installInterrupts } from './interrupts.js';
import type { Io } from './io.js';
import { packageVersion } from './package-root.js';
import { sourceReader } from './source-cache.js';
import { afterTaskerRun } from './tasker-after-run.js';
import {
  finishRecovery,
  globalEnvNames,
  recoveryPath,
  startRecovery,
  type RecoveryState,
} from './tasker-recovery.js';
import { validateHosts } from './tasker-hosts.js';
import { isDebug, legacyOptionsOf, logDirOf, validationExitCode } from './tasker-options.js';

export { validationExitCode } from './tasker-options.js';

/** The task file and how to read it: read from disk once, then parsed, hashed and copied from these bytes. */
interface Loaded {
  file: string;
  bytes: Buffer;
  args: TaskerArgs;
  legacy: TaskFileOptions;
  /** `--auto-recovery` on a real run: where its state lives and whether this run resumes. */
  recovery?: { path: string; resume?: RecoveryState; env: NodeJS.ProcessEnv };
}

/** `tasker [-r] FILE [options]`: TASKER's command line on tasker's engine; resolves to TASKER's exit code. */
export async function taskerMain(argv: readonly string[], io: Io): Promise<number> {
  const cli = parseTaskerArgv(argv);
  if (cli.flags.has('--version')) return (io.out(`tasker ${packageVersion()} (TASKER 2.2 task files)`), 0);
  if (cli.flags.has('--help') || cli.file === undefined) {
    io.err('usage: tasker [-r] FILE [options]   (TASKER style; see docs/tasker-compat.md)');
    return cli.flags.has('--help') ? 0 : 2;
  }
  const loaded = await load(cli.file, cli, io);
  if (typeof loaded === 'number') return loaded;
  const { file, args } = loaded;
  if (args.flags.has('--show-recovery-info')) return showRecoveryInfo(file, args, io);
  if (args.flags.has('--show-effective-args')) {
    const effective = { file, flags: [...args.flags].sort(), values: Object.fromEntries(args.values) };
    return (io.out(JSON.stringify(effective, null, 2)), 0);
  }
  const validation = await validateWorkflowFile(file, { legacy: loaded.legacy, bytes: loaded.bytes });
  report(validation, args, io);
  const code = validationExitCode(validation.diagnostics);
  if (code !== 0 || !validation.plan) return code || 20;
  const hosts = await preValidateHosts(validation, loaded, io);
  if (hosts !== 0) return hosts;
  if (args.flags.has('--validate-only')) return (io.out(`${file}: valid`), 0);
  if (args.flags.has('--show-plan') && !(await confirmPlan(validation.plan, io))) return 0;
  return runTaskFile(loaded, { ...validation, plan: validation.plan }, io);
}

/** Reads the file once and merges the flags written at its top under the command line's. */
async function load(file: string, cli: TaskerArgs, io: Io): Promise<Loaded | number> {
  let bytes: Buffer;
  try {
    // A FIFO or a device would block the read (or never end): only regular files are read.
    if (!(await stat(file)).isFile())
      throw Object.assign(new Error('is not a regular file'), { code: 'ENOTREG' });
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'ENOTREG' ? 'is not a regular file' : String(err);
    io.err(`tasker: task file ${file}: ${why}; check the path`);
    return 30;
  }
  // Only a task file has header flags: a YAML workflow's `- id:` lines are list items, not flags.
  const text = bytes.toString('utf8');
  const fileFlags = detectFormat(text.slice(0, 64 * 1024)) === 'tasker' ? taskFileArgs(text, file).flags : [];
  const args = mergeTaskerArgs(cli, fileFlags);
  for (const u of args.unknown) io.err(`tasker: ignoring unknown argument '${u}'`);
  for (const [flag, why] of Object.entries(NO_EFFECT))
    if (args.flags.has(flag)) io.err(`tasker: ${flag} has no effect: ${why}`);
  const recovery = recoveryOf(file, bytes, args);
  if (typeof recovery === 'string') return (io.err(`tasker: ${recovery}`), 12);
  if (recovery?.resume) io.err(`tasker: --auto-recovery: resuming the failed run ${recovery.resume.runId}`);
  const env = recovery?.env ?? process.env;
  return { file, bytes, args, legacy: legacyOptionsOf(args, env), ...(recovery ? { recovery } : {}) };
}

/** S15: a real run with `--auto-recovery` (or `--output-json`, which implies it) resumes a failed one. */
function recoveryOf(file: string, bytes: Buffer, args: TaskerArgs): Loaded['recovery'] | string {
  const on = args.flags.has('--auto-recovery') || args.flags.has('--output-json');
  if (!on || !args.flags.has('--run')) return undefined;
  const path = recoveryPath(file, logDirOf(args, process.env), process.env);
  const start = startRecovery(path, bytes, args.flags.has('--yes'), process.env);
  if (start.kind === 'refused') return start.reason;
  return start.kind === 'resume' ? { path, resume: start.state, env: start.env } : { path, env: process.env };
}

/** Errors always; warnings and the execution types file used at `-d`/`--log-level=DEBUG`. */
function report(validation: Validation, args: TaskerArgs, io: Io): void {
  const debug = isDebug(args);
  const source = sourceReader();
  for (const d of validation.diagnostics)
    if (d.severity === 'error' || debug) io.err(formatDiagnostic(d, source(d.span.file)) + '\n');
  if (debug)
    io.err(
      `tasker: execution types: ${validation.execTypesFile ?? 'none found (built-in local, shell, ssh)'}`,
    );
}

/** S14: after task validation, also with --validate-only and in a dry run, unless skipped. */
function preValidateHosts(validation: Validation, loaded: Loaded, io: Io): Promise<number> {
  const { args } = loaded;
  if (loaded.legacy.skipHostValidation || !validation.hostChecks) return Promise.resolve(0);
  const skipCommand = args.flags.has('--skip-command-validation') || args.flags.has('--skip-validation');
  return validateHosts(validation.hostChecks, { skipCommand, env: process.env }, io);
}

function showRecoveryInfo(file: string, args: TaskerArgs, io: Io): number {
  const path = recoveryPath(file, logDirOf(args, process.env), process.env);
  io.out(existsSync(path) ? readFileSync(path, 'utf8') : `no recovery state for ${file} (${path})`);
  return 0;
}

function saveRecovery(loaded: Loaded, recovery: NonNullable<Loaded['recovery']>, result: RunResult): void {
  const names = globalEnvNames(loaded.bytes.toString('utf8'));
  finishRecovery(recovery.path, result, {
    file: realpathSync(loaded.file),
    fileHash: sha256(loaded.bytes),
    env: Object.fromEntries(names.map((n) => [n, recovery.env[n] ?? null])),
  });
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

async function runTaskFile(loaded: Loaded, validation: Validation & { plan: Plan }, io: Io): Promise<number> {
  const { file, args } = loaded;
  const { plan } = validation;
  const start = args.values.get('--start-from');
  const startFrom = start === undefined ? undefined : stepIdOfText(start);
  if (start !== undefined && !plan.root.children.some((c) => c.id === startFrom)) {
    io.err(`tasker: --start-from ${start}: no top-level task ${start} in ${file}; use one of the task ids`);
    return 12;
  }
  const live = args.flags.has('--run');
  const quiet = ['ERROR', 'WARN'].includes(args.values.get('--log-level')?.toUpperCase() ?? '');
  const interrupts = installInterrupts((sig) => io.err(`\ntasker: ${sig} received: stopping`));
  try {
    const home = logDirOf(args, process.env);
    const recovery = loaded.recovery;
    const outcome = await runWorkflowFile(file, {
      dryRun: !live,
      legacy: loaded.legacy,
      ...(recovery ? { env: recovery.env } : {}),
      ...(recovery?.resume ? { resume: { run: recovery.resume.runId } } : {}),
      bytes: loaded.bytes,
      // Validated above from the same bytes and options: parsing the task file again cost ~1 ms per task.
      validation,
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
    // Never asked for here (no --once-per on TASKER's command line); said rather than dropped.
    if (outcome.kind === 'slot-taken') return (io.err(`tasker: ${outcome.message}`), 0);
    if (recovery) saveRecovery(loaded, recovery, outcome.result);
    await afterTaskerRun(file, outcome.result, args, live, io);
    // Without -r it is `run --dry-run`: a valid file exits 0 (docs/cli.md, "Dry run").
    return live ? outcome.result.exitCode : 0;
  } finally {
    interrupts.dispose();
  }
}
