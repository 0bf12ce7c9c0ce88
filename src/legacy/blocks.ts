import { stepIdOf } from './ids.js';
import { applyTimeout, commandKeys, condition, seconds, successSource } from './command.js';
import { emptyScope, translateCondition } from './condition.js';
import { field, report, resolveGlobals, type Tx, type YamlStep } from './context.js';
import { blockRetry } from './retry.js';
import { BLOCK_NEXT } from './task.js';
import type { LegacyTask } from './types.js';

/** Id of one occurrence of subtask `n` inside block `block`. */
export type SubtaskId = (n: number, block: number) => string;

/** The ids listed in `tasks=`, `if_true_tasks=`, `if_false_tasks=`. */
export function listedIds(task: LegacyTask, key: string): number[] {
  const v = field(task, key)?.value ?? '';
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

export function hostnamesOf(task: LegacyTask): string[] {
  return (field(task, 'hostnames')?.value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `type=parallel`: children run together (at most `max_parallel`), judged by the block policy. */
export function parallelStep(tx: Tx, task: LegacyTask, id: string, subId: SubtaskId): YamlStep {
  const retry = blockRetry(tx, task);
  const children = task.fields.has('hostnames')
    ? hostnamesOf(task).map((h, i) => {
        const n = 100000 + task.id * 10000 + i;
        return subtaskStep(tx, task, stepIdOf(n), retry, { hostname: h, token: String(n) });
      })
    : listedIds(task, 'tasks').flatMap((n) => {
        const sub = tx.tasks.get(n);
        return sub ? [subtaskStep(tx, sub, subId(n, task.id), retry)] : [];
      });
  const max = Number(field(task, 'max_parallel')?.value ?? 8);
  const inner: YamlStep = { max: Number.isInteger(max) && max >= 1 ? max : 8 };
  return blockStep(tx, task, id, { parallel: inner }, inner, children);
}

/** `type=conditional`: one branch runs its tasks in order, all of them, judged like a parallel block. */
export function conditionalStep(tx: Tx, task: LegacyTask, id: string, subId: SubtaskId): YamlStep {
  const retry = blockRetry(tx, task);
  const branch = (key: string, suffix: string): YamlStep[] => {
    const children = listedIds(task, key).flatMap((n) => {
      const sub = tx.tasks.get(n);
      return sub ? [subtaskStep(tx, sub, subId(n, task.id), retry)] : [];
    });
    const inner: YamlStep = { max: 1 };
    policyInto(tx, task, inner, children.length, true);
    return [{ id: `${id}_${suffix}`, parallel: { ...inner, steps: children } }];
  };
  const f = field(task, 'condition');
  const r = translateCondition(resolveGlobals(tx, f?.value ?? 'true'), emptyScope(tx.refs));
  if (!r.ok)
    report(
      tx,
      f?.line ?? task.line,
      'expr-syntax',
      `task ${task.id} has an invalid condition: ${r.message}`,
      r.hint,
    );
  const step: YamlStep = {
    id,
    if: r.ok ? r.source : 'false',
    then: branch('if_true_tasks', 'true'),
    else: branch('if_false_tasks', 'false'),
  };
  routeBlock(tx, task, step);
  return step;
}

function blockStep(
  tx: Tx,
  task: LegacyTask,
  id: string,
  kind: YamlStep,
  inner: YamlStep,
  children: YamlStep[],
): YamlStep {
  policyInto(tx, task, inner, children.length, false);
  inner.steps = children;
  const step: YamlStep = { id, ...kind };
  routeBlock(tx, task, step);
  return step;
}

/** A false block outcome ends the workflow with 10 unless `on_failure` catches it; `next=never` ends it with 0. */
function routeBlock(tx: Tx, task: LegacyTask, step: YamlStep): void {
  const onS = field(task, 'on_success')?.value;
  const onF = field(task, 'on_failure')?.value;
  if (onS !== undefined) step.on_success = stepIdOf(Number(onS));
  if (onF !== undefined) step.on_failure = stepIdOf(Number(onF));
  else step.failure_exit = 10;
  if (field(task, 'next')?.value === 'never') Object.assign(step, { continue_on_error: true, return: 0 });
  const s = seconds(tx, task, 'sleep');
  if (s !== undefined && s > 0) step.sleep = s;
}

const POLICIES: Readonly<Record<string, string>> = {
  success: 'all',
  all_success: 'all',
  any_success: 'any',
  majority_success: 'majority',
};

/** `success=` (else `next=`) of a block as a tasker policy; a conditional without either always holds. */
function policyInto(tx: Tx, task: LegacyTask, inner: YamlStep, count: number, conditional: boolean): void {
  const f = field(task, 'success') ?? field(task, 'next');
  const always = `max_failed(${count})`;
  if (!f) {
    if (conditional) inner.success = always;
    return;
  }
  const v = f.value.replace(/\s+/g, '');
  const m = /^(min|max)_(success|failed)=(\d+)$/.exec(v);
  if (POLICIES[v]) inner.success = POLICIES[v];
  else if (v === 'always' || v === 'never') inner.success = always;
  else if (m)
    inner.success =
      m[1] === 'min' && m[2] === 'success' && m[3] === '0' ? always : `${m[1]}_${m[2]}(${Number(m[3])})`;
  else
    report(
      tx,
      f.line,
      'unsupported',
      `task ${task.id}: '${f.value}' is not a block policy tasker supports`,
      'use all_success, any_success, majority_success, min_success=N, max_success=N, min_failed=N or max_failed=N',
    );
}

/** A generated subtask of a `hostnames=` block: its host, and the id that replaces `@task@`. */
interface Generated {
  hostname: string;
  token: string;
}

/**
 * A task run inside a block: no routing; the block's retry (S9) applies; `failure` is honoured
 * (TASKER ignored it). A generated subtask whose block `success` is a policy is judged by its
 * exit code (difference 20: TASKER judged it by the policy word, which is always false there).
 */
function subtaskStep(
  tx: Tx,
  task: LegacyTask,
  id: string,
  retry: YamlStep | undefined,
  generated?: Generated,
): YamlStep {
  const step: YamlStep = { id };
  const when = condition(tx, task, 'condition');
  if (when !== undefined) step.when = when;
  const ret = field(task, 'return');
  if (ret && !task.fields.has('command'))
    return { ...step, run: ['sh', '-c', `exit ${Number(ret.value) & 255}`] };
  Object.assign(step, commandKeys(tx, task, generated?.hostname, generated?.token));
  applyTimeout(tx, task, step);
  const policy = generated !== undefined && isPolicy(field(task, 'success')?.value);
  const success = policy ? undefined : successSource(tx, task);
  if (success !== undefined) step.success = success;
  if (retry) step.retry = { ...retry };
  const s = seconds(tx, task, 'sleep');
  if (s !== undefined && s > 0) step.sleep = s;
  return step;
}

/** Whether a block's `success=`/`next=` value is one of TASKER's block policies. */
function isPolicy(value: string | undefined): boolean {
  return value !== undefined && BLOCK_NEXT.test(value.replace(/\s+/g, ''));
}
