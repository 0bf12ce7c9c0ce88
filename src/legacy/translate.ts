import { stepIdOf } from './ids.js';
import { basename } from 'node:path';
import { clampTimeout } from './command.js';
import { listedIds, conditionalStep, parallelStep, type SubtaskId } from './blocks.js';
import { type LegacyOptions, type Tx, type YamlStep } from './context.js';
import type { ExecTypes } from './exec-types.js';
import { globalValues, substituteGlobals } from './globals.js';
import { HostUses } from './host-checks.js';
import { toTemplate, delimiterOf, type RefContext } from './refs.js';
import { commandTaskStep, decisionStep, kindOf, returnStep } from './task.js';
import type { LegacyTask, TaskFile } from './types.js';
import { checkTasks, type CheckOptions } from './validate.js';

/** The YAML workflow a task file means, as plain data plus the comments to print above steps. */
export interface Translation {
  doc: Record<string, unknown>;
  header: string[];
  notes: Tx['notes'];
  tx: Tx;
}

/** Task file → YAML workflow data (and TASKER's validation as diagnostics in `tx.diagnostics`). */
export function translate(tf: TaskFile, exec: ExecTypes, options: LegacyOptions & CheckOptions): Translation {
  const tasks = new Map(tf.tasks.map((t) => [t.id, t]));
  const rawValues = new Map(tf.globals.map((g) => [g.name, g.value]));
  const resolved = new Map(tf.globals.map((g) => [g.name, substituteGlobals(g.value, rawValues)]));
  // A global that resolves fully is a `vars:` entry; one left holding @NAME@ (a cycle, an undefined
  // name) is substituted into each field as text instead, so the result is exactly TASKER's (S4).
  const clean = new Set([...resolved].filter(([, v]) => !GLOBAL_TOKEN.test(v)).map(([k]) => k));
  const tx: Tx = {
    file: tf.file,
    tasks,
    globals: new Map(tf.globals.map((g) => [g.name, g])),
    values: globalValues(tf.globals, options.env ?? {}),
    rawValues,
    refs: refContext(tf, clean),
    exec,
    options,
    diagnostics: [],
    sshHosts: new Set(),
    hostUses: new HostUses(),
    notes: new Map(),
  };
  checkTasks(tx, options);
  for (const g of tf.globals) tx.notes.set(`var:${g.name}`, { comments: [], line: g.line });
  const placed = placement(tf.tasks);
  const steps = sequence(tx, tf.tasks, placed);
  const doc: Record<string, unknown> = {
    version: 1,
    name: basename(tf.file).replace(/\.[^.]+$/, '') || 'tasks',
  };
  doc.exit_codes = { failed: 'step', timed_out: 124 };
  doc.defaults = { timeout: clampTimeout(exec.defaultTimeoutS) };
  if (clean.size > 0)
    doc.vars = Object.fromEntries(
      [...clean].map((name) => [name, toTemplate(resolved.get(name)!, tx.refs, true).source]),
    );
  if (tx.sshHosts.size > 0) doc.hosts = Object.fromEntries([...tx.sshHosts].map((h) => [h, {}]));
  doc.steps = steps;
  return { doc, header: tf.header, notes: tx.notes, tx };
}

const GLOBAL_TOKEN = /@[A-Za-z_][A-Za-z0-9_]*@/;

function refContext(tf: TaskFile, clean: ReadonlySet<string>): RefContext {
  const splits: RefContext['splits'] extends ReadonlyMap<number, infer V> ? Map<number, V> : never =
    new Map();
  for (const t of tf.tasks) {
    const one = (key: string): [string, number] | undefined => {
      const m = /^([^,]*),\s*(-?\d+)$/.exec(t.fields.get(key)?.value ?? '');
      return m ? [delimiterOf(m[1]!), Number(m[2])] : undefined;
    };
    const stdout = one('stdout_split');
    const stderr = one('stderr_split');
    if (stdout || stderr) splits.set(t.id, { ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}) });
  }
  return {
    stepIds: new Map(tf.tasks.map((t) => [t.id, stepIdOf(t.id)])),
    splits,
    globals: clean,
  };
}

/**
 * Which tasks sit in the top-level sequence: every task that is not a subtask, and a subtask that
 * TASKER's id+1 walk or a jump reaches (it then runs there too).
 */
function placement(tasks: readonly LegacyTask[]): Set<number> {
  const sorted = [...tasks].sort((a, b) => a.id - b.id);
  const subtasks = new Set(
    tasks.flatMap((t) => ['tasks', 'if_true_tasks', 'if_false_tasks'].flatMap((k) => listedIds(t, k))),
  );
  const targets = new Set(
    tasks.flatMap((t) => ['on_success', 'on_failure'].map((k) => Number(t.fields.get(k)?.value ?? NaN))),
  );
  const placed = new Set<number>();
  for (const [i, t] of sorted.entries()) {
    if (!subtasks.has(t.id) || i === 0 || placed.has(t.id - 1) || targets.has(t.id)) placed.add(t.id);
  }
  return placed;
}

/** The top-level steps in id order; where id+1 is missing TASKER ends the workflow, so a `return: 0` marks it. */
function sequence(tx: Tx, tasks: readonly LegacyTask[], placed: ReadonlySet<number>): YamlStep[] {
  const used = new Set<string>();
  const subId: SubtaskId = (n, block) => {
    const primary = stepIdOf(n);
    const id = placed.has(n) || used.has(primary) ? `${primary}_in_${stepIdOf(block)}` : primary;
    used.add(id);
    const task = tx.tasks.get(n);
    if (task) tx.notes.set(id, { comments: id === primary ? task.comments : [], line: task.line });
    return id;
  };
  const order = [...tasks].filter((t) => placed.has(t.id)).sort((a, b) => a.id - b.id);
  const steps: YamlStep[] = [];
  for (const [i, task] of order.entries()) {
    const id = stepIdOf(task.id);
    tx.notes.set(id, { comments: task.comments, line: task.line });
    steps.push(taskStep(tx, task, id, subId));
    const next = order[i + 1];
    if (next && next.id !== task.id + 1) {
      const end = `end_after_${id}`;
      tx.notes.set(end, { comments: [`TASKER ends here: there is no task ${task.id + 1}`], line: task.line });
      steps.push({ id: end, return: 0 });
    }
  }
  return steps;
}

function taskStep(tx: Tx, task: LegacyTask, id: string, subId: SubtaskId): YamlStep {
  switch (kindOf(task)) {
    case 'parallel':
      return parallelStep(tx, task, id, subId);
    case 'conditional':
      return conditionalStep(tx, task, id, subId);
    case 'decision':
      return decisionStep(tx, task, id);
    case 'return':
      return task.fields.has('command') ? commandTaskStep(tx, task, id) : returnStep(tx, task, id);
    case 'normal':
      return commandTaskStep(tx, task, id);
  }
}
