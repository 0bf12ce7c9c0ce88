import { execOf } from './command.js';
import { field, report, type Tx } from './context.js';
import { hostnamesOf, listedIds } from './blocks.js';
import { BLOCK_NEXT, kindOf } from './task.js';
import { checkGlobalRefs, checkSecurity } from './validate-values.js';
import { TASK_FIELDS, type LegacyTask } from './types.js';

export interface CheckOptions {
  /** `--skip-security-validation`: no metacharacter and injection checks on command, arguments, hostname. */
  skipSecurity?: boolean;
}

const KNOWN: ReadonlySet<string> = new Set(TASK_FIELDS);
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const ROUTING = ['on_success', 'on_failure', 'next', 'loop', 'loop_break'];
const FORBIDDEN_ON_DECISION = ['command', 'hostname', 'arguments', 'timeout'];

/** TASKER's validator rules (§1.2, §1.3, §2.14) as diagnostics at the field's line. */
export function checkTasks(tx: Tx, options: CheckOptions): void {
  for (const task of tx.tasks.values()) {
    for (const [key, f] of task.fields) {
      if (!KNOWN.has(key))
        report(
          tx,
          f.line,
          'unknown-key',
          `task ${task.id} has unknown field '${key}'; it is ignored`,
          'remove it, or check the spelling',
          'warning',
        );
    }
    checkRequired(tx, task);
    checkRouting(tx, task);
    checkSubtasks(tx, task);
    if (!options.skipSecurity) checkSecurity(tx, task);
    checkGlobalRefs(tx, task);
  }
}

function checkRequired(tx: Tx, task: LegacyTask): void {
  const kind = kindOf(task);
  const need = (key: string): void => {
    if (!task.fields.has(key))
      report(
        tx,
        task.line,
        'missing-field',
        `task ${task.id} (${kind}) is missing required field '${key}'`,
        `add ${key}=…`,
      );
  };
  if (kind === 'normal') {
    need('command');
    need('hostname');
    if (field(task, 'hostname')?.value === '' && execOf(tx, task) !== 'local')
      report(
        tx,
        field(task, 'hostname')!.line,
        'missing-field',
        `task ${task.id} has an empty hostname`,
        'an empty hostname= is allowed only with exec=local',
      );
    if (field(task, 'command')?.value === '')
      report(
        tx,
        field(task, 'command')!.line,
        'missing-field',
        `task ${task.id} has an empty command`,
        'write the program to run after command=',
      );
  }
  if (kind === 'parallel' && task.fields.has('tasks') === task.fields.has('hostnames'))
    report(
      tx,
      task.line,
      'missing-field',
      `task ${task.id} (parallel) must have exactly one of 'tasks=' or 'hostnames='`,
      'list subtask ids in tasks=, or hosts in hostnames=',
    );
  if (kind === 'parallel' && task.fields.has('hostnames')) {
    need('command');
    const hosts = hostnamesOf(task);
    if (hosts.length < 2 || hosts.length > 1000)
      report(
        tx,
        field(task, 'hostnames')!.line,
        'bad-value',
        `task ${task.id} has ${hosts.length} hostname(s); hostnames= needs 2 to 1000`,
        'for one host use a normal task with hostname=',
      );
    const badHosts = hosts.filter((h) => !HOST.test(h));
    if (badHosts.length > 0)
      report(
        tx,
        field(task, 'hostnames')!.line,
        'bad-value',
        `task ${task.id} has invalid hostnames: ${badHosts.join(', ')}`,
        'use host names (letters, digits, -, .) or IPv4 addresses',
      );
  }
  if (kind === 'conditional') ['condition', 'if_true_tasks', 'if_false_tasks'].forEach(need);
  if (kind === 'decision') {
    if (task.fields.has('success') === task.fields.has('failure'))
      report(
        tx,
        task.line,
        'missing-field',
        `task ${task.id} (decision) needs exactly one of 'success=' or 'failure='`,
        'add a success= condition',
      );
    for (const k of FORBIDDEN_ON_DECISION)
      if (task.fields.has(k))
        report(
          tx,
          field(task, k)!.line,
          'key-not-allowed',
          `task ${task.id} is a decision block and must not have '${k}'`,
          `remove ${k}=`,
        );
  }
  const isCommand = (kind === 'normal' || kind === 'return') && task.fields.has('command');
  if (task.fields.has('timeout') && !(kind === 'normal' && isCommand))
    report(
      tx,
      field(task, 'timeout')!.line,
      'key-not-allowed',
      `task ${task.id} (${kind}) cannot use 'timeout'`,
      'timeout applies to command tasks without return=',
    );
  if (task.fields.has('success') && task.fields.has('failure') && kind !== 'decision')
    report(
      tx,
      field(task, 'failure')!.line,
      'key-not-allowed',
      `task ${task.id} cannot use 'success' and 'failure' together`,
      'keep one of them',
    );
}

function checkRouting(tx: Tx, task: LegacyTask): void {
  const next = field(task, 'next');
  for (const key of ['on_success', 'on_failure']) {
    const f = field(task, key);
    if (!f) continue;
    if (next)
      report(
        tx,
        next.line,
        'key-not-allowed',
        `task ${task.id} cannot use 'next' together with ${key}`,
        `remove next= or ${key}=`,
      );
    const target = /^\d+$/.test(f.value) ? Number(f.value) : NaN;
    if (Number.isNaN(target))
      report(
        tx,
        f.line,
        'bad-value',
        `task ${task.id}: ${key} must be a task id, got '${f.value}'`,
        `write ${key}=N`,
      );
    else if (target <= task.id)
      report(
        tx,
        f.line,
        'backward-jump',
        `task ${task.id}: '${key}' cannot jump backwards to task ${target}`,
        'jumps go forward only (loops use loop=N with next=loop)',
      );
    else if (!tx.tasks.has(target))
      report(
        tx,
        f.line,
        'unknown-step',
        `task ${target} is referenced by task ${task.id} but not defined`,
        `define task=${target}, or fix ${key}=`,
      );
  }
  const kind = kindOf(task);
  if (
    next &&
    BLOCK_NEXT.test(next.value.replace(/\s+/g, '')) &&
    kind !== 'parallel' &&
    kind !== 'conditional' &&
    kind !== 'normal'
  )
    report(
      tx,
      next.line,
      'key-not-allowed',
      `task ${task.id} uses a block-only next condition '${next.value}'`,
      'use it on type=parallel or type=conditional tasks',
    );
  if (task.fields.has('loop') && next?.value !== 'loop')
    report(
      tx,
      field(task, 'loop')!.line,
      'missing-field',
      `task ${task.id} has 'loop' but is missing 'next=loop'`,
      'add next=loop',
    );
  if (next?.value === 'loop' && (kind === 'parallel' || kind === 'conditional'))
    report(
      tx,
      next.line,
      'unsupported',
      `task ${task.id}: next=loop on a ${kind} block is not supported (TASKER crashes on it)`,
      'loop a sequential task instead',
    );
  const split = [field(task, 'stdout_split'), field(task, 'stderr_split')];
  for (const f of split)
    if (f && !/^[^,]*,\s*-?\d+$/.test(f.value))
      report(
        tx,
        f.line,
        'bad-value',
        `task ${task.id} has an invalid split '${f.value}'`,
        "write 'delimiter,index', e.g. space,0",
      );
}

function checkSubtasks(tx: Tx, task: LegacyTask): void {
  for (const key of ['tasks', 'if_true_tasks', 'if_false_tasks']) {
    const f = field(task, key);
    if (!f) continue;
    const ids = listedIds(task, key);
    if (ids.length === 0)
      report(tx, f.line, 'empty-block', `task ${task.id}: '${key}' lists no task ids`, `write ${key}=N,M`);
    for (const n of ids) {
      const sub = tx.tasks.get(n);
      if (n === task.id)
        report(tx, f.line, 'bad-value', `task ${task.id} lists itself in '${key}'`, 'list other tasks');
      else if (!sub)
        report(
          tx,
          f.line,
          'unknown-step',
          `task ${n} is referenced by task ${task.id} but not defined`,
          `define task=${n}`,
        );
      else if (kindOf(sub) === 'parallel' || kindOf(sub) === 'conditional')
        report(
          tx,
          f.line,
          'unsupported',
          `task ${task.id} references subtask ${n} (${kindOf(sub)}); nested blocks are not supported`,
          'list command tasks only',
        );
      else {
        const r = ROUTING.find((k) => sub.fields.has(k));
        if (r)
          report(
            tx,
            field(sub, r)!.line,
            'key-not-allowed',
            `subtask ${n} of task ${task.id} cannot have '${r}'`,
            'subtasks cannot route: remove it',
          );
      }
    }
  }
}
