import type { Value } from '../model/expr.js';
import type { Plan } from '../model/plan.js';
import type { RunResult, RunStatus, StepResult } from '../model/result.js';
import { checkOutputDir, type Masker } from '../output/index.js';
import { exitCodeFor } from './exit-code.js';
import { readsOutputFiles } from './file-refs.js';
import { createLimit } from './limit.js';
import { runNode, withTimeout } from './runner.js';
import { runSequence } from './sequence.js';
import { linkedSignal, type LinkedSignal } from './signals.js';
import { prepareStart } from './start.js';
import type { Outcome, RunContext, RunOptions } from './types.js';

const DEFAULT_CONCURRENCY = 64;
const DEFAULT_FINALLY_GRACE_MS = 30_000;

/** Runs a plan to the end, streaming events; a failed step is a result, never an exception. */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunResult> {
  const startedAt = Date.now();
  options.onEvent({
    kind: 'run-start',
    runId: options.runId,
    plan,
    runDir: options.runDir,
    ...(options.dryRun ? { dryRun: true } : {}),
    at: startedAt,
  });
  const start = prepareStart(plan, options.env, options.dryRun === true);
  if (!start.ok) return finish(plan, options, { status: 'failed', error: start.error }, [], startedAt);
  // Output files are created on a stream's first byte: a bad run directory must still fail up front.
  const dirError = checkOutputDir(options.runDir);
  if (dirError !== undefined)
    return finish(plan, options, { status: 'failed', error: dirError }, [], startedAt);
  const steps: StepResult[] = [];
  const runSignal = linkedSignal([options.signal]);
  const finallySignal = linkedSignal([options.hardSignal]);
  const stopInterrupt = watchInterrupt(options, runSignal, finallySignal);
  const ctx = createContext(plan, options, start, finallySignal.signal, steps);
  try {
    const scope = { signal: runSignal.signal };
    const outcome = await withTimeout(plan.root.timeoutMs, scope, (s) =>
      runSequence(ctx, plan.root, s, true),
    );
    return finish(plan, options, statusOf(outcome, runSignal.signal.aborted, options), steps, startedAt);
  } finally {
    stopInterrupt();
    runSignal.dispose();
    finallySignal.dispose();
  }
}

function createContext(
  plan: Plan,
  options: RunOptions,
  start: { vars: Record<string, Value>; unknownVars: Set<string>; masker: Masker },
  finallySignal: AbortSignal,
  steps: StepResult[],
): RunContext {
  const executions = new Map<string, number>();
  const ctx: RunContext = {
    options,
    plan,
    masker: start.masker,
    vars: start.vars,
    unknownVars: start.unknownVars,
    views: {},
    limit: createLimit(options.concurrency ?? DEFAULT_CONCURRENCY),
    finallySignal,
    random: options.random ?? Math.random,
    emit: (event) => options.onEvent(event),
    record: (result) => {
      steps.push(result);
      options.onEvent({ kind: 'step-end', result, at: Date.now() });
    },
    nextExecution: (key) => {
      const n = (executions.get(key) ?? 0) + 1;
      executions.set(key, n);
      return n;
    },
    keepEmptyOutputFiles: readsOutputFiles(plan),
    runNode: (node, scope) => runNode(ctx, node, scope),
  };
  return ctx;
}

/** On interrupt: tell reporters, and give `finally` steps `finallyGraceMs` before cutting them short. */
function watchInterrupt(options: RunOptions, run: LinkedSignal, fin: LinkedSignal): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = () => {
    options.onEvent({
      kind: 'run-interrupt',
      signal: options.interruptSignal?.() ?? 'SIGINT',
      at: Date.now(),
    });
    const grace = options.finallyGraceMs ?? DEFAULT_FINALLY_GRACE_MS;
    timer = setTimeout(() => fin.abort({ kind: 'cancel', why: 'interrupt' }), grace);
  };
  const signal = options.signal;
  if (signal?.aborted) onInterrupt();
  else signal?.addEventListener('abort', onInterrupt, { once: true });
  return () => {
    signal?.removeEventListener('abort', onInterrupt);
    if (timer) clearTimeout(timer);
  };
}

type Verdict = Pick<
  RunResult,
  'status' | 'failedStep' | 'returnCode' | 'interrupted' | 'error' | 'failureExit'
>;

function statusOf(outcome: Outcome, interrupted: boolean, options: RunOptions): Verdict {
  if (interrupted) return { status: 'interrupted', interrupted: options.interruptSignal?.() ?? 'SIGINT' };
  const failed = outcome.status;
  if (failed === 'failed' || failed === 'timed-out' || failed === 'unreachable' || failed === 'cancelled') {
    const status: RunStatus = failed === 'cancelled' ? 'failed' : failed;
    const verdict: Verdict = outcome.failedStep ? { status, failedStep: outcome.failedStep } : { status };
    if (outcome.failureExit !== undefined) verdict.failureExit = outcome.failureExit;
    return verdict;
  }
  if (outcome.escape?.kind === 'return') return { status: 'returned', returnCode: outcome.escape.code };
  // A jump whose target is in no enclosing block: the plan rules this out.
  if (outcome.escape?.kind === 'jump') return { status: 'failed' };
  return { status: 'ok' };
}

function finish(
  plan: Plan,
  options: RunOptions,
  verdict: Verdict,
  steps: StepResult[],
  startedAt: number,
): RunResult {
  const endedAt = Date.now();
  // In inventory order, as every table lists hosts (results arrive in the order hosts gave up).
  const inventory = Object.keys(plan.hosts);
  const place = (h: string): number => {
    const i = inventory.indexOf(h);
    return i < 0 ? inventory.length : i;
  };
  const unreachableHosts = [
    ...new Set(steps.filter((s) => s.status === 'unreachable' && s.host !== undefined).map((s) => s.host!)),
  ].sort((a, b) => place(a) - place(b));
  const partial: Omit<RunResult, 'exitCode'> = {
    runId: options.runId,
    workflow: plan.name,
    file: plan.file,
    ...verdict,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    steps,
    unreachableHosts,
    runDir: options.runDir,
    ...(options.dryRun ? { dryRun: true } : {}),
  };
  const result: RunResult = { ...partial, exitCode: exitCodeFor(partial, plan.exitCodes) };
  // Tolerated unreachable hosts exit 3: the run's status must not say ok beside that code.
  if (result.status === 'ok' && result.exitCode !== 0) result.status = 'unreachable';
  options.onEvent({ kind: 'run-end', result, at: endedAt });
  return result;
}
