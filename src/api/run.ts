import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createDryExecutor } from '../exec/dry.js';
import { createLocalExecutor } from '../exec/local.js';
import { createExecutorSet } from '../exec/set.js';
import type { SshOptions } from '../exec/ssh/index.js';
import type { Executor } from '../exec/types.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Reporter } from '../model/events.js';
import type { Plan } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import { createNdjsonReporter, renderJsonReport } from '../report/index.js';
import { runPlan } from '../run/index.js';
import { newRunId, runDirFor, stateHome } from '../store/index.js';
import { closeAll, fanOut } from './events.js';
import { planUsesSsh } from './targets.js';
import { validateWorkflowFile } from './validate.js';

export interface RunWorkflowOptions {
  vars?: Readonly<Record<string, string>>;
  limit?: string;
  dryRun?: boolean;
  concurrency?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** State home; default from `$TASKER_HOME` / XDG. */
  home?: string;
  reporters?: readonly Reporter[];
  signal?: AbortSignal;
  hardSignal?: AbortSignal;
  interruptSignal?: () => 'SIGINT' | 'SIGTERM' | undefined;
  ssh?: SshOptions;
  killGraceMs?: number;
  finallyGraceMs?: number;
  /** Called with a reporter's exception; the run goes on. */
  onReporterError?: (err: unknown) => void;
}

export type RunWorkflowOutcome =
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  | { kind: 'ran'; result: RunResult; diagnostics: Diagnostic[]; runDir: string };

/** Validate, then run a workflow file; the run leaves its events, report and outputs in its run dir. */
export async function runWorkflowFile(
  path: string,
  options: RunWorkflowOptions = {},
): Promise<RunWorkflowOutcome> {
  const validation = await validateWorkflowFile(path, { vars: options.vars, limit: options.limit });
  if (!validation.plan) return { kind: 'invalid', diagnostics: validation.diagnostics };
  const env = options.env ?? process.env;
  const runId = newRunId();
  const runDir = runDirFor(options.home ?? stateHome(env), runId);
  await mkdir(runDir, { recursive: true });
  await copyFile(path, join(runDir, `workflow${extensionOf(path)}`));
  const result = await runPlanIn(validation.plan, runId, runDir, env, options);
  return { kind: 'ran', result, diagnostics: validation.diagnostics, runDir };
}

async function runPlanIn(
  plan: Plan,
  runId: string,
  runDir: string,
  env: Readonly<Record<string, string | undefined>>,
  options: RunWorkflowOptions,
): Promise<RunResult> {
  const events = createNdjsonReporter({ path: join(runDir, 'events.ndjson') });
  const reporters = [...(options.reporters ?? []), events];
  const executors = await executorsFor(plan, options);
  try {
    const result = await runPlan(plan, {
      runId,
      runDir,
      executors,
      env,
      onEvent: fanOut(reporters, options.onReporterError ?? (() => undefined)),
      signal: options.signal,
      hardSignal: options.hardSignal,
      interruptSignal: options.interruptSignal,
      concurrency: options.concurrency,
      killGraceMs: options.killGraceMs,
      finallyGraceMs: options.finallyGraceMs,
      dryRun: options.dryRun,
    });
    await writeFile(join(runDir, 'report.json'), renderJsonReport(result));
    return result;
  } finally {
    await executors.close();
    await closeAll(reporters);
  }
}

async function executorsFor(plan: Plan, options: RunWorkflowOptions) {
  if (options.dryRun) {
    const dry = createDryExecutor();
    return createExecutorSet({ local: dry, ssh: () => dry });
  }
  let ssh: (() => Executor) | undefined;
  if (planUsesSsh(plan)) {
    // Loaded only when a workflow needs it: ssh2 costs start-up time.
    const { createSshExecutor } = await import('../exec/ssh/index.js');
    ssh = () => createSshExecutor(options.ssh);
  }
  return createExecutorSet({ local: createLocalExecutor(), ssh });
}

function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
