import type { CopyOutcome } from '../exec/types.js';
import type { AttemptResult, StepError, StepStatus } from '../model/result.js';
import {
  emitStepStart,
  renderFailure,
  statusForError,
  stepErrorOf,
  type AttemptRun,
  type LeafInstance,
  type LeafNode,
} from './leaf.js';
import { renderCopy, type RenderedCopy } from './render-command.js';
import { bareView, evalContextFor, localPath } from './scope.js';
import { statusForAbort } from './signals.js';
import { withSlot } from './slot.js';
import type { RunContext, Scope } from './types.js';

type CopyInstance = LeafInstance & { node: Extract<LeafNode, { kind: 'copy' }> };

/** One copy attempt through the target executor's `copy`; an executor without one fails the step. */
export async function runCopyAttempt(
  ctx: RunContext,
  leaf: CopyInstance,
  scope: Scope,
  attempt: number,
): Promise<AttemptRun> {
  const rendered = renderCopy(leaf.node.spec, evalContextFor(ctx, scope));
  if (!rendered.ok) return renderFailure(ctx, scope, attempt, rendered.message);
  return withSlot(ctx, scope, attempt, leaf.node.timeoutMs, async (signal) => {
    const display = ctx.masker.mask(rendered.value.display);
    const iteration = scope.iteration ?? 1;
    emitStepStart(ctx, leaf, scope, attempt, display);
    const startedAt = Date.now();
    // The source is always on this machine; the destination too for a local copy.
    const paths = {
      ...rendered.value,
      src: localPath(ctx, { kind: 'local' }, rendered.value.src) ?? rendered.value.src,
      dest: localPath(ctx, leaf.target, rendered.value.dest) ?? rendered.value.dest,
    };
    const copied = await copyOnce(ctx, leaf, paths, signal);
    const error = copied.kind === 'error' ? copied.error : undefined;
    const status: StepStatus = signal.aborted
      ? statusForAbort(signal)
      : error
        ? statusForError(error.code)
        : 'ok';
    const result = copyAttempt(attempt, iteration, status, startedAt);
    if (error && !signal.aborted) result.error = error;
    const run: AttemptRun = {
      result,
      view: bareView(status, result.durationMs, result.exitCode),
      display,
      stderrTail: [],
    };
    if (copied.kind === 'copied' && status === 'ok') {
      run.changed = copied.outcome.changed;
      run.note = copyNote(copied.outcome);
    }
    return run;
  });
}

function copyAttempt(
  attempt: number,
  iteration: number,
  status: StepStatus,
  startedAt: number,
): AttemptResult {
  const endedAt = Date.now();
  const exitCode = status === 'ok' ? 0 : null;
  return {
    attempt,
    iteration,
    status,
    exitCode,
    signal: null,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
  };
}

async function copyOnce(
  ctx: RunContext,
  leaf: CopyInstance,
  r: RenderedCopy,
  signal: AbortSignal,
): Promise<{ kind: 'copied'; outcome: CopyOutcome } | { kind: 'error'; error: StepError }> {
  try {
    const executor = ctx.options.executors.for(leaf.target);
    if (!executor.copy) {
      const where = leaf.host ?? 'local';
      const message = `the executor for ${where} cannot copy files; use a run step (e.g. cp or scp)`;
      return { kind: 'error', error: { code: 'copy', message } };
    }
    const { mode } = leaf.node.spec;
    const outcome = await executor.copy({
      target: leaf.target,
      src: r.src,
      dest: r.dest,
      signal,
      ...(mode !== undefined ? { mode } : {}),
    });
    return { kind: 'copied', outcome };
  } catch (e) {
    return { kind: 'error', error: stepErrorOf(ctx, e) };
  }
}

/** What the summary and report say about a transfer: Ansible users look for "changed". */
function copyNote(o: CopyOutcome): string {
  if (!o.changed) return 'unchanged: destination already matches (size and checksum)';
  return `copied ${o.files} file${o.files === 1 ? '' : 's'}, ${o.bytes} bytes`;
}
