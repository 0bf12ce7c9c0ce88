import type { ExecOutcome, ExecRequest } from '../exec/types.js';
import { evaluateCondition } from '../expr/index.js';
import type { StepView } from '../model/expr.js';
import type { AttemptResult, StepError, StepStatus } from '../model/result.js';
import {
  DEFAULT_CAPTURE_LIMIT_BYTES,
  DEFAULT_TAIL_LINES,
  openStepOutput,
  type CapturedOutput,
  type StepOutput,
} from '../output/index.js';
import {
  attemptWithoutRun,
  emitStepStart,
  renderFailure,
  statusForError,
  stepErrorOf,
  type AttemptRun,
  type LeafInstance,
  type LeafNode,
} from './leaf.js';
import { describeEvalError, renderCommand, type RenderedCommand } from './render-command.js';
import { evalContextFor, localPath } from './scope.js';
import { statusForAbort } from './signals.js';
import { withSlot } from './slot.js';
import type { RunContext, Scope } from './types.js';

type CommandInstance = LeafInstance & { node: Extract<LeafNode, { kind: 'command' }> };

type Executed = { outcome: ExecOutcome; error?: undefined } | { outcome?: undefined; error: StepError };

/** One execution of a command: render, wait for a slot, run with its own timeout, judge. */
export async function runCommandAttempt(
  ctx: RunContext,
  leaf: CommandInstance,
  scope: Scope,
  attempt: number,
): Promise<AttemptRun> {
  const rendered = renderCommand(leaf.node.spec, evalContextFor(ctx, scope));
  if (!rendered.ok) return renderFailure(ctx, scope, attempt, rendered.message);
  return withSlot(ctx, scope, attempt, leaf.node.timeoutMs, async (signal) => {
    const display = ctx.masker.mask(rendered.value.display);
    const startedAt = Date.now();
    const output = startOutput(ctx, leaf, scope, attempt, display);
    const executed = await execOnce(ctx, leaf, rendered.value, signal, output);
    // Read before the files are flushed: a timer firing during the flush must not change the verdict.
    const aborted = signal.aborted ? statusForAbort(signal) : undefined;
    const finished = await finishOutput(ctx, output);
    if (!finished.ok) return attemptWithoutRun(scope, attempt, 'failed', startedAt, finished.error);
    const captured = finished.captured;
    const endedAt = Date.now();
    const result: AttemptResult = {
      attempt,
      iteration: scope.iteration ?? 1,
      status: 'ok',
      exitCode: executed.outcome?.exitCode ?? null,
      signal: executed.outcome?.signal ?? null,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
      stdoutFile: captured.stdoutFile,
      stderrFile: captured.stderrFile,
    };
    return settle(ctx, leaf, scope, { result, captured, executed, aborted, display });
  });
}

/** Emits step-start and opens this execution's output files (`<id>[@host][.n]`). */
function startOutput(
  ctx: RunContext,
  leaf: CommandInstance,
  scope: Scope,
  attempt: number,
  display: string,
): StepOutput {
  const { node, host } = leaf;
  const n = ctx.nextExecution(leaf.key);
  emitStepStart(ctx, leaf, scope, attempt, display);
  return openStepOutput({
    dir: ctx.options.runDir,
    baseName: n > 1 ? `${leaf.key}.${n}` : leaf.key,
    masker: ctx.masker,
    captureLimitBytes: ctx.options.captureLimitBytes ?? DEFAULT_CAPTURE_LIMIT_BYTES,
    tailLines: DEFAULT_TAIL_LINES,
    createEmptyFiles: ctx.keepEmptyOutputFiles,
    onLine: (stream, line) =>
      ctx.emit({ kind: 'step-output', id: node.id, name: node.name, host, stream, line, at: Date.now() }),
  });
}

/** A full disk or a vanished run dir fails the step, with the reason; it never crashes the run. */
function outputError(ctx: RunContext, e: unknown): StepError {
  const why = e instanceof Error ? e.message : String(e);
  return { code: 'output', message: ctx.masker.mask(`cannot write step output: ${why}`) };
}

async function finishOutput(
  ctx: RunContext,
  output: StepOutput,
): Promise<{ ok: true; captured: CapturedOutput } | { ok: false; error: StepError }> {
  try {
    return { ok: true, captured: await output.finish() };
  } catch (e) {
    return { ok: false, error: outputError(ctx, e) };
  }
}

async function execOnce(
  ctx: RunContext,
  leaf: CommandInstance,
  rendered: RenderedCommand,
  signal: AbortSignal,
  output: StepOutput,
): Promise<Executed> {
  try {
    const executor = ctx.options.executors.for(leaf.target);
    return { outcome: await executor.exec(requestFor(ctx, leaf, rendered, signal), output.sink) };
  } catch (e) {
    return { error: stepErrorOf(ctx, e) };
  }
}

interface Finished {
  result: AttemptResult;
  captured: CapturedOutput;
  executed: Executed;
  /** Set when the timeout or a cancel stopped the command. */
  aborted: StepStatus | undefined;
  display: string;
}

/** Decides the status: an abort (timeout/cancel) first, then an executor error, then the judge. */
function settle(ctx: RunContext, leaf: CommandInstance, scope: Scope, f: Finished): AttemptRun {
  const { result, captured, executed, aborted } = f;
  const view = viewOf(result, captured);
  const judged = executed.error
    ? { status: statusForError(executed.error.code), error: executed.error }
    : judge(ctx, leaf, scope, view);
  // A step stopped by its timeout or a cancel is that, whatever the executor reported on the way out.
  const status = aborted ?? judged.status;
  result.status = status;
  if (judged.error && !aborted) result.error = judged.error;
  const run: AttemptRun = {
    result,
    view: { ...view, status, success: status === 'ok' },
    display: f.display,
    stderrTail: captured.stderrTail,
  };
  const notes = [executed.outcome?.note, truncationNote(captured)].filter((n) => n !== undefined);
  if (notes.length > 0) run.note = ctx.masker.mask(notes.join('; '));
  return run;
}

function requestFor(
  ctx: RunContext,
  leaf: CommandInstance,
  r: RenderedCommand,
  signal: AbortSignal,
): ExecRequest {
  const { spec } = leaf.node;
  const req: ExecRequest = {
    target: leaf.target,
    command: r.command,
    env: r.env,
    pty: spec.pty,
    signal,
    killGraceMs: ctx.options.killGraceMs ?? 2000,
    label: leaf.key,
  };
  const cwd = localPath(ctx, leaf.target, r.cwd);
  if (cwd !== undefined) req.cwd = cwd;
  if (r.stdin !== undefined) req.stdin = r.stdin;
  if (spec.sudo !== undefined) {
    req.sudo = spec.sudo;
    // A listed secret: prepareStart refused to run when it is unset. The value goes to sudo's stdin only.
    const password =
      spec.sudoPasswordSecret === undefined ? undefined : ctx.options.env[spec.sudoPasswordSecret];
    if (password !== undefined) req.sudoPassword = password;
  }
  return req;
}

function viewOf(result: AttemptResult, captured: CapturedOutput): StepView {
  return {
    exit: result.exitCode,
    stdout: captured.stdout,
    stderr: captured.stderr,
    // Provisional until judged: `success`/`failure` expressions see the exit-code verdict here.
    success: result.exitCode === 0,
    status: result.exitCode === 0 ? 'ok' : 'failed',
    stdout_file: captured.stdoutFile,
    stderr_file: captured.stderrFile,
    stdout_bytes: captured.stdoutBytes,
    stderr_bytes: captured.stderrBytes,
    duration: result.durationMs / 1000,
  };
}

/** `success` if given, else `!failure` if given, else `exit == 0`; `current` is this attempt. */
function judge(
  ctx: RunContext,
  leaf: CommandInstance,
  scope: Scope,
  view: StepView,
): { status: StepStatus; error?: StepError } {
  const { success, failure } = leaf.node.spec;
  const expr = success ?? failure;
  // A dry run shows the success path: judging placeholders would invent failures.
  if (!expr || ctx.options.dryRun) return { status: view.exit === 0 ? 'ok' : 'failed' };
  const r = evaluateCondition(expr, evalContextFor(ctx, scope, view));
  if (!r.ok) {
    const what = success ? 'cannot evaluate success' : 'cannot evaluate failure';
    return {
      status: 'failed',
      error: { code: 'render', message: ctx.masker.mask(describeEvalError(what, r.error)) },
    };
  }
  const ok = success ? r.value : !r.value;
  return { status: ok ? 'ok' : 'failed' };
}

/** Past the capture limit, expressions see the head and tail of a stream: the result says so. */
function truncationNote(c: CapturedOutput): string | undefined {
  const cut = [
    c.stdoutTruncated ? `stdout (${mib(c.stdoutBytes)})` : undefined,
    c.stderrTruncated ? `stderr (${mib(c.stderrBytes)})` : undefined,
  ].filter((x) => x !== undefined);
  if (cut.length === 0) return undefined;
  return `expressions saw only the first and last lines of ${cut.join(' and ')}; the output files have every byte`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
