import { stepIdOf } from './ids.js';
import { applyTimeout, commandKeys, condition, seconds, successSource } from './command.js';
import { currentScope, emptyScope, translateCondition } from './condition.js';
import { field, report, resolveGlobals, type Tx, type YamlStep } from './context.js';
import type { LegacyTask } from './types.js';

export type TaskKind = 'normal' | 'return' | 'parallel' | 'conditional' | 'decision';

/** TASKER's order: `return` first, then `type` (§1.2). */
export function kindOf(task: LegacyTask): TaskKind {
  if (task.fields.has('return')) return 'return';
  const type = task.fields.get('type')?.value.toLowerCase();
  if (type === 'parallel' || type === 'conditional' || type === 'decision') return type;
  return 'normal';
}

export const BLOCK_NEXT = /^(all_success|any_success|majority_success|(min|max)_(success|failed)=\d+)$/;

/** A sequential task that runs a command (normal, or `return` with a command). */
export function commandTaskStep(tx: Tx, task: LegacyTask, id: string): YamlStep {
  const step: YamlStep = { id };
  const when = condition(tx, task, 'condition');
  if (when !== undefined) step.when = when;
  Object.assign(step, commandKeys(tx, task));
  applyTimeout(tx, task, step);
  const success = successSource(tx, task);
  if (success !== undefined) step.success = success;
  const ret = returnCode(tx, task);
  if (ret !== undefined) Object.assign(step, { continue_on_error: true, return: ret });
  else applyRouting(tx, task, step, success);
  applySleep(tx, task, step);
  return step;
}

/** A `return` task without a command: ends the workflow with that code. */
export function returnStep(tx: Tx, task: LegacyTask, id: string): YamlStep {
  const step: YamlStep = { id };
  const when = condition(tx, task, 'condition');
  if (when !== undefined) step.when = when;
  step.return = returnCode(tx, task) ?? 0;
  return step;
}

/** A decision: no command; TASKER judges `success`/`failure` with exit 0 and empty output. */
export function decisionStep(tx: Tx, task: LegacyTask, id: string): YamlStep {
  const step: YamlStep = { id, run: ['true'] };
  const scope = emptyScope(tx.refs);
  const s = condition(tx, task, 'success', scope) ?? negate(condition(tx, task, 'failure', scope));
  if (s !== undefined) step.success = s;
  const next = field(task, 'next')?.value;
  const onS = field(task, 'on_success')?.value;
  const onF = field(task, 'on_failure')?.value;
  if (next !== undefined && /^\d+$/.test(next))
    Object.assign(step, { on_success: stepIdOf(Number(next)), on_failure: stepIdOf(Number(next)) });
  if (onS !== undefined) step.on_success = stepIdOf(Number(onS));
  if (onF !== undefined) step.on_failure = stepIdOf(Number(onF));
  // A failed decision without on_failure goes on to the next task, like a passed one.
  if (onF === undefined) step.continue_on_error = true;
  if (next === 'never') Object.assign(step, { continue_on_error: true, return: 0 });
  return step;
}

const negate = (c: string | undefined): string | undefined => (c === undefined ? undefined : `!(${c})`);

function returnCode(tx: Tx, task: LegacyTask): number | undefined {
  const f = field(task, 'return');
  if (!f) return undefined;
  if (!/^-?\d+$/.test(f.value)) {
    report(
      tx,
      f.line,
      'bad-exit-code',
      `task ${task.id} has an invalid return code: '${f.value}'`,
      'write return=N with N a whole number',
    );
    return undefined;
  }
  return ((Number(f.value) % 256) + 256) % 256;
}

function applySleep(tx: Tx, task: LegacyTask, step: YamlStep): void {
  const s = seconds(tx, task, 'sleep');
  if (s !== undefined && s > 0) step.sleep = s;
}

/** `next`, `on_success`, `on_failure` of a sequential command task (§1.7). */
function applyRouting(tx: Tx, task: LegacyTask, step: YamlStep, success: string | undefined): void {
  const next = field(task, 'next');
  const onS = field(task, 'on_success');
  const onF = field(task, 'on_failure');
  if (onS) step.on_success = stepIdOf(Number(onS.value));
  if (onF) step.on_failure = stepIdOf(Number(onF.value));
  // TASKER: a failure with only on_success ends the workflow with exit 10.
  if (onS && !onF) step.failure_exit = 10;
  if (!next) {
    if (!onS && !onF && tx.options.fireAndForget) step.continue_on_error = true;
    return;
  }
  const v = next.value;
  if (v === 'never') Object.assign(step, { continue_on_error: true, return: 0 });
  else if (v === 'always') step.continue_on_error = true;
  else if (v === 'loop') applyLoop(tx, task, step);
  else if (v === 'success') return;
  else if (/^-?\d+$/.test(v))
    report(
      tx,
      next.line,
      'bad-value',
      `task ${task.id}: direct task jumping (next=${v}) is not supported`,
      'use on_success=N / on_failure=N',
    );
  else if (BLOCK_NEXT.test(v))
    report(
      tx,
      next.line,
      'key-not-allowed',
      `task ${task.id} uses the block-only next condition '${v}' but is not a parallel or conditional task`,
      'use a condition such as exit_0, or make the task type=parallel',
    );
  else {
    const scope = currentScope(tx.refs, task.id, success ?? 'exit == 0');
    const r = translateCondition(resolveGlobals(tx, v), scope);
    if (r.ok) step.success = r.source;
    else report(tx, next.line, 'expr-syntax', `task ${task.id} has an invalid next: ${r.message}`, r.hint);
  }
}

/** `loop=N` + `next=loop`: exactly N runs unless `loop_break` holds; failures do not stop it. */
function applyLoop(tx: Tx, task: LegacyTask, step: YamlStep): void {
  const f = field(task, 'loop');
  const n = f && /^\d+$/.test(f.value) ? Number(f.value) : NaN;
  if (!f || !(n >= 1 && n <= 1000)) {
    report(
      tx,
      f?.line ?? task.line,
      'bad-value',
      `task ${task.id} has next=loop but ${f ? `an invalid loop count '${f.value}'` : 'no loop=N'}`,
      'add loop=N with N between 1 and 1000',
    );
    return;
  }
  const until = condition(tx, task, 'loop_break') ?? 'false';
  step.loop = { max: n, until };
  step.continue_on_error = true;
}

/** Task id → kind, for a tool that compares per-task results (`tasker convert --check`). */
export function taskKinds(tasks: Iterable<LegacyTask>): Map<number, TaskKind> {
  return new Map([...tasks].map((t) => [t.id, kindOf(t)]));
}
