import { join } from 'node:path';
import type { SshOptions } from '../exec/ssh/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Reporter } from '../model/events.js';
import type { Plan, PlanNode } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import { createNdjsonReporter, planOutline, renderJsonReport } from '../report/index.js';
import { runPlan, type Preset } from '../run/index.js';
import {
  currentProcess,
  describeFault,
  ELSEWHERE,
  isIoFault,
  newRunId,
  openStore,
  storeLocation,
  runDirFor,
  stateHome,
  type HistoryStore,
  type SlotKey,
  type RetentionPolicy,
} from '../store/index.js';
import { closeAll, fanOut, withOutputBudget } from './events.js';
import { workflowIdentity, type WorkflowIdentity } from './identity.js';
import { claimSlot, type OncePerOptions } from './once-per.js';
import { takeLock, type LockedOutcome } from './take-lock.js';
import type { AlertOutcome } from './notify.js';
import type { ResumeOptions } from './resume.js';
import { afterRun, historyReporter, presetsFor } from './run-extras.js';
import { prepareRunDir, writeRunReport } from './run-dir.js';
import { createRunLogReporter } from './run-log.js';
import { executorsFor, warnMissingSecrets } from './run-executors.js';
import type { TaskFileOptions } from '../legacy/index.js';
import { validateWorkflowFile, type Validation } from './validate.js';
import { parseDuration } from '../parse/duration.js';

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
  /** Record the run in the history as it goes; default true (never for a dry run). */
  history?: boolean;
  /** The run history: a `postgres://` URL or a SQLite file; default `$TASKER_STORE`, else `<home>/history.db`. */
  store?: string;
  /** The overlap lock per file and vars; default taken without waiting; false = none (never for a dry run). */
  lock?: false | { waitMs?: number; leaseMs?: number };
  /** Continue an earlier run: its finished steps are reused, not run again. */
  resume?: ResumeOptions;
  /** Begin at this top-level step; the ones before are skipped (`start-from`). */
  startFrom?: string;
  /** Send the workflow's `notify` alerts; default true (never for a dry run). */
  notify?: boolean;
  /** Retention applied after the run; default from TASKER_KEEP_RUNS / TASKER_KEEP_DAYS; false = none. */
  retention?: RetentionPolicy | false;
  /** Problems that do not stop the run: a stale lock taken over, a history write that failed. */
  onWarning?: (message: string) => void;
  /** What the run is doing before it starts, e.g. waiting for the lock (--wait-lock). */
  onNotice?: (message: string) => void;
  /** How a TASKER task file is read (see src/legacy). */
  legacy?: TaskFileOptions;
  /** The file's bytes, already read by the caller: parsed, hashed and copied without reading the file again. */
  bytes?: Buffer;
  /** `--once-per`: run only if this run claims the current schedule slot of the workflow (never for a dry run). */
  oncePer?: OncePerOptions;
  /**
   * The caller's own `validateWorkflowFile` of these `bytes` with the same `vars`, `limit` and
   * `legacy`: reused instead of parsing and planning the file a second time.
   */
  validation?: Validation;
}

export type RunWorkflowOutcome =
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  /** `--resume` / `--start-from` could not begin (the reason says why and what to do); nothing ran. */
  | { kind: 'refused'; reason: string; diagnostics: Diagnostic[] }
  /** Another run of the same file and vars holds the lock (exit 75). */
  | (LockedOutcome & { diagnostics: Diagnostic[] })
  /** `--once-per`: another run has this schedule slot, or this box's clock is behind (`loud`); nothing ran (exit 0). */
  | { kind: 'slot-taken'; message: string; loud: boolean; diagnostics: Diagnostic[] }
  | {
      kind: 'ran';
      result: RunResult;
      /** What ran (reports that need workflow order or `continue_on_error`, e.g. JUnit). */
      plan: Plan;
      diagnostics: Diagnostic[];
      runDir: string;
      alerts: AlertOutcome[];
      resumedFrom?: string;
    };

/** Validate, lock, then run a workflow file; the run leaves its events, log, report and outputs in its run dir. */
export async function runWorkflowFile(
  path: string,
  options: RunWorkflowOptions = {},
): Promise<RunWorkflowOutcome> {
  const validation =
    options.validation ??
    (await validateWorkflowFile(path, {
      vars: options.vars,
      limit: options.limit,
      legacy: options.legacy,
      bytes: options.bytes,
    }));
  if (!validation.plan) return { kind: 'invalid', diagnostics: validation.diagnostics };
  const env = options.env ?? process.env;
  const home = options.home ?? stateHome(env);
  const vars = options.vars ?? {};
  const live = !options.dryRun;
  if (options.dryRun) warnMissingSecrets(validation.plan, env, options.onWarning);
  const identity = await workflowIdentity(path, vars, options.bytes);
  const record = live && (options.history !== false || options.resume !== undefined);
  const oncePer = live ? options.oncePer : undefined;
  const spec = options.store ?? env.TASKER_STORE;
  // A shared store holds the lock as a lease, so it is opened for the lock even with --no-history.
  const where = storeLocation(spec, home);
  const sharedLock =
    live && options.lock !== false && where.kind === 'ok' && where.location.kind === 'postgres';
  const store = record || oncePer || options.resume || sharedLock ? await openStore(spec, home) : undefined;
  try {
    const slot =
      oncePer && store ? await claimSlot(store.slotClaims(), identity, currentProcess(), oncePer) : undefined;
    if (slot?.kind === 'skip')
      return {
        kind: 'slot-taken',
        message: slot.message,
        loud: slot.loud,
        diagnostics: validation.diagnostics,
      };
    const runId = newRunId();
    const base = { runId, home, env, identity, store: record ? store : undefined };
    const leases = store?.runLeases();
    const lock = live && options.lock !== false ? await takeLock(base, vars, options, { leases }) : undefined;
    if (lock?.kind === 'held') return { ...lock.outcome, diagnostics: validation.diagnostics };
    const release = () => lock?.lock.releaseSync();
    process.once('exit', release);
    try {
      const presets = await presetsFor(validation.plan, store, identity, options);
      if (presets.kind === 'refused')
        return { kind: 'refused', reason: presets.reason, diagnostics: validation.diagnostics };
      if (presets.notice) options.onNotice?.(presets.notice);
      const claimed = slot?.kind === 'claimed' && store ? { store, key: slot.key } : undefined;
      const ran = await runIn(path, validation.plan, { ...base, ...presets, claimed }, options);
      return { kind: 'ran', diagnostics: validation.diagnostics, plan: validation.plan, ...ran };
    } finally {
      process.off('exit', release);
      await lock?.lock.release();
    }
  } finally {
    await store?.close();
  }
}

interface Session {
  runId: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  identity: WorkflowIdentity;
  store?: HistoryStore;
  preset?: (node: PlanNode) => Preset | undefined;
  resumedFrom?: string;
  /** The slot this run claimed (`--once-per`): its run id is written once the run has begun. */
  claimed?: { store: HistoryStore; key: SlotKey };
}

async function runIn(path: string, plan: Plan, s: Session, options: RunWorkflowOptions) {
  const runDir = runDirFor(s.home, s.runId);
  await prepareRunDir(runDir, path, options.bytes);
  const me = currentProcess();
  await beginRun(s.store, {
    id: s.runId,
    workflow: plan.name,
    file: s.identity.realFile,
    fileHash: s.identity.fileHash,
    varsHash: s.identity.varsHash,
    ...me,
    startedAt: Date.now(),
    runDir,
    ...(s.resumedFrom ? { resumedFrom: s.resumedFrom } : {}),
    plan: planOutline(plan),
  });
  // The claim names its run for `taken` lines on other boxes; a store that fails here only costs that.
  if (s.claimed)
    await s.claimed.store
      .slotClaims()
      .recordRun(s.claimed.key, s.runId)
      .catch((err: unknown) =>
        options.onWarning?.(`the slot claim does not name run ${s.runId}: ${messageOf(err)}`),
      );
  const warn = options.onWarning ?? (() => undefined);
  const runLog = createRunLogReporter(join(runDir, 'run.log'), (err) => warn(messageOf(err)));
  const extra = [withOutputBudget(runLog)];
  if (s.store)
    extra.push(historyReporter(s.store, s.runId, warn, { runDir, flushTimeoutMs: storeWaitMs(s.env, warn) }));
  const result = await runPlanIn(plan, s, runDir, extra, options);
  const reportJson = renderJsonReport(result);
  const reportFile = join(runDir, 'report.json');
  await writeRunReport(reportFile, reportJson, warn);
  const alerts = await afterRun({
    plan,
    result,
    reportJson,
    reportFile,
    logFile: join(runDir, 'notify.log'),
    env: s.env,
    store: s.store,
    home: s.home,
    notify: !options.dryRun && options.notify !== false,
    retention: options.retention,
    warn,
  });
  return { result, runDir, alerts, ...(s.resumedFrom ? { resumedFrom: s.resumedFrom } : {}) };
}

async function runPlanIn(
  plan: Plan,
  s: Session,
  runDir: string,
  extra: Reporter[],
  options: RunWorkflowOptions,
): Promise<RunResult> {
  const events = withOutputBudget(createNdjsonReporter({ path: join(runDir, 'events.ndjson') }));
  const reporters = [...(options.reporters ?? []), events, ...extra];
  const executors = await executorsFor(plan, options, runDir);
  try {
    return await runPlan(plan, {
      runId: s.runId,
      runDir,
      executors,
      env: s.env,
      onEvent: fanOut(reporters, options.onReporterError ?? (() => undefined)),
      signal: options.signal,
      hardSignal: options.hardSignal,
      interruptSignal: options.interruptSignal,
      concurrency: options.concurrency,
      killGraceMs: options.killGraceMs,
      finallyGraceMs: options.finallyGraceMs,
      dryRun: options.dryRun,
      ...(s.preset ? { preset: s.preset } : {}),
    });
  } finally {
    await executors.close();
    await closeAll(reporters, (err) => options.onWarning?.(messageOf(err)));
  }
}

/** The run's row, before the first step: a damaged or full history stops the run here (a StateFault). */
async function beginRun(
  store: HistoryStore | undefined,
  run: Parameters<HistoryStore['beginRun']>[0],
): Promise<void> {
  try {
    await store?.beginRun(run);
  } catch (err) {
    throw isIoFault(err) && store ? describeFault(err, 'write the run history', store.label, ELSEWHERE) : err;
  }
}

/** `TASKER_STORE_WAIT`: how long the end of a run waits for an unavailable history (default 30s). */
function storeWaitMs(
  env: Readonly<Record<string, string | undefined>>,
  warn: (m: string) => void,
): number | undefined {
  const text = env.TASKER_STORE_WAIT;
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text);
  if (ms !== undefined) return ms;
  warn(`TASKER_STORE_WAIT="${text}": expected a duration such as 30s or 2m; waiting the default 30s`);
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
