import { ExecError } from '../exec/types.js';
import type { StepView } from '../model/expr.js';
import type { PlanNode, Target } from '../model/plan.js';
import type { AttemptResult, StepError, StepStatus } from '../model/result.js';
import { bareView } from './scope.js';
import type { RunContext, Scope } from './types.js';

export type LeafNode = Extract<PlanNode, { kind: 'command' | 'copy' }>;

/** One runnable instance of a command or copy: the node itself, or one host of a fan-out. */
export interface LeafInstance {
  node: LeafNode;
  target: Target;
  /** Host name in events and results (ssh targets). */
  host?: string;
  /** `<id>[@host]`: output file base name and execution counter key. */
  key: string;
}

/** One attempt as it ended, with what later expressions see of it. */
export interface AttemptRun {
  result: AttemptResult;
  view: StepView;
  /** Masked. */
  display?: string;
  stderrTail: string[];
  note?: string;
  /** Copy steps: whether anything was written on the target. */
  changed?: boolean;
}

/** Unreachable, auth, host-key and lost connections are host problems; the rest are step failures. */
export function statusForError(code: StepError['code']): StepStatus {
  return code === 'unreachable' || code === 'auth' || code === 'host-key' || code === 'connection-lost'
    ? 'unreachable'
    : 'failed';
}

/** Executors reject with ExecError; anything else is a bug in an executor, kept as data. */
export function stepErrorOf(ctx: RunContext, e: unknown): StepError {
  if (e instanceof ExecError) return { code: e.code, message: ctx.masker.mask(e.message) };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: ctx.masker.mask(`executor failed unexpectedly: ${message}`) };
}

/** An attempt that ended without running anything (render error, cancelled while queued). */
/** Announces one execution of a command or copy instance (masked display). */
export function emitStepStart(
  ctx: RunContext,
  leaf: LeafInstance,
  scope: Scope,
  attempt: number,
  display: string,
): void {
  const { node, host } = leaf;
  ctx.emit({
    kind: 'step-start',
    id: node.id,
    name: node.name,
    host,
    attempt,
    iteration: scope.iteration ?? 1,
    display,
    ...(scope.onlyIf ? { onlyIf: scope.onlyIf } : {}),
    at: Date.now(),
  });
}

/** A template or expression that cannot be rendered fails the attempt before anything runs (never retried). */
export function renderFailure(ctx: RunContext, scope: Scope, attempt: number, message: string): AttemptRun {
  const error: StepError = { code: 'render', message: ctx.masker.mask(message) };
  return attemptWithoutRun(scope, attempt, 'failed', Date.now(), error);
}

export function attemptWithoutRun(
  scope: Scope,
  attempt: number,
  status: StepStatus,
  startedAt: number,
  error?: StepError,
): AttemptRun {
  const endedAt = Date.now();
  const result: AttemptResult = {
    attempt,
    iteration: scope.iteration ?? 1,
    status,
    exitCode: null,
    signal: null,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
  };
  if (error) result.error = error;
  return { result, view: bareView(status, result.durationMs), stderrTail: [] };
}
