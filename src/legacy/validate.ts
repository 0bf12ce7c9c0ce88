import type { DiagCode, Severity } from '../model/diagnostic.js';
import { execOf } from './command.js';
import { field, report, type Tx } from './context.js';
import { hostnamesOf, listedIds } from './blocks.js';
import { checkGaps } from './gaps.js';
import { invalidHosts } from './hosts.js';
import { retryProblem } from './retry.js';
import { BLOCK_NEXT, kindOf, type TaskKind } from './task.js';
import { checkGlobalRefs, checkSecurity, checkUnresolvedHost } from './validate-values.js';
import { TASK_FIELDS, type LegacyTask } from './types.js';

export interface CheckOptions {
  /** `--skip-security-validation`: no S1 screening of command, arguments, hostname. */
  skipSecurity?: boolean;
}

const KNOWN: ReadonlySet<string> = new Set(TASK_FIELDS);
const ROUTING = ['on_success', 'on_failure', 'next', 'loop', 'loop_break'];
const IS_BLOCK = (k: TaskKind): boolean => k === 'parallel' || k === 'conditional';

/** Fields each kind of task must have (§1.2). */
const REQUIRED: Readonly<Record<TaskKind, readonly string[]>> = {
  normal: ['command', 'hostname'],
  return: [],
  parallel: [],
  conditional: ['condition', 'if_true_tasks', 'if_false_tasks'],
  decision: [],
};

/** One of TASKER's validator rules: when `test` says so, an error (or warning) at `key`'s line. */
interface Rule {
  key?: string;
  test: (task: LegacyTask, kind: TaskKind, tx: Tx) => boolean;
  code: DiagCode;
  message: (task: LegacyTask, kind: TaskKind, tx: Tx) => string;
  hint: string;
  severity?: Severity;
}

const has = (task: LegacyTask, key: string): boolean => task.fields.has(key);
const value = (task: LegacyTask, key: string): string | undefined => field(task, key)?.value;

/** TASKER's validator (§1.2, §1.3, §2.14) as a table; list-valued rules follow below it. */
const RULES: readonly Rule[] = [
  {
    test: (t, k) => k === 'parallel' && has(t, 'tasks') === has(t, 'hostnames'),
    code: 'missing-field',
    message: (t) => `task ${t.id} (parallel) must have exactly one of 'tasks=' or 'hostnames='`,
    hint: 'list subtask ids in tasks=, or hosts in hostnames=',
  },
  {
    key: 'hostnames',
    test: (t, k) => k === 'parallel' && has(t, 'hostnames') && !has(t, 'command'),
    code: 'missing-field',
    message: (t) => `task ${t.id} (parallel) with hostnames= is missing required field 'command'`,
    hint: 'add command=… (it runs once per host)',
  },
  {
    key: 'hostnames',
    test: (t, k) => k === 'parallel' && has(t, 'hostnames') && !between(hostnamesOf(t).length, 2, 1000),
    code: 'bad-value',
    message: (t) => `task ${t.id} has ${hostnamesOf(t).length} hostname(s); hostnames= needs 2 to 1000`,
    hint: 'for one host use a normal task with hostname=',
  },
  {
    key: 'hostnames',
    test: (t, k) => k === 'parallel' && invalidHosts(hostnamesOf(t)).length > 0,
    code: 'bad-value',
    message: (t) => `task ${t.id} has invalid hostnames: ${invalidHosts(hostnamesOf(t)).join(', ')}`,
    hint: 'use host names (letters, digits, -, .) or IPv4 addresses with octets 0-255 and no leading zeros',
  },
  {
    key: 'hostname',
    test: (t, k, tx) => k === 'normal' && value(t, 'hostname') === '' && execOf(tx, t) !== 'local',
    code: 'missing-field',
    message: (t) => `task ${t.id} has an empty hostname`,
    hint: 'an empty hostname= is allowed only with exec=local',
  },
  {
    key: 'command',
    test: (t, k) => k === 'normal' && value(t, 'command') === '',
    code: 'missing-field',
    message: (t) => `task ${t.id} has an empty command`,
    hint: 'write the program to run after command=',
  },
  {
    test: (t, k) => k === 'decision' && has(t, 'success') === has(t, 'failure'),
    code: 'missing-field',
    message: (t) => `task ${t.id} (decision) needs exactly one of 'success=' or 'failure='`,
    hint: 'add a success= condition',
  },
  ...['command', 'hostname', 'arguments', 'timeout'].map((key): Rule => ({
    key,
    test: (t, k) => k === 'decision' && has(t, key),
    code: 'key-not-allowed',
    message: (t) => `task ${t.id} is a decision block and must not have '${key}'`,
    hint: `remove ${key}=`,
  })),
  {
    key: 'timeout',
    test: (t, k) => has(t, 'timeout') && k !== 'decision' && !(k === 'normal' && has(t, 'command')),
    code: 'key-not-allowed',
    message: (t, k) => `task ${t.id} (${k}) cannot use 'timeout'`,
    hint: 'timeout applies to command tasks without return=',
  },
  {
    key: 'failure',
    test: (t, k) => k !== 'decision' && has(t, 'success') && has(t, 'failure'),
    code: 'key-not-allowed',
    message: (t) => `task ${t.id} cannot use 'success' and 'failure' together`,
    hint: 'keep one of them',
  },
  {
    key: 'failure',
    test: (t, k) => IS_BLOCK(k) && has(t, 'failure'),
    code: 'key-not-allowed',
    message: (t, k) => `task ${t.id} (${k}) cannot use 'failure'`,
    hint: 'judge a block with success=all_success, any_success, min_success=N, …',
  },
  ...['on_success', 'on_failure'].map((key): Rule => ({
    key: 'next',
    test: (t) => has(t, 'next') && has(t, key),
    code: 'key-not-allowed',
    message: (t) => `task ${t.id} cannot use 'next' together with ${key}`,
    hint: `remove next= or ${key}=`,
  })),
  {
    key: 'next',
    test: (t, k) => (k === 'decision' || k === 'return') && BLOCK_NEXT.test(blank(value(t, 'next'))),
    code: 'key-not-allowed',
    message: (t) => `task ${t.id} uses a block-only next condition '${value(t, 'next')}'`,
    hint: 'use it on type=parallel or type=conditional tasks',
  },
  {
    key: 'loop',
    test: (t) => has(t, 'loop') && value(t, 'next') !== 'loop',
    code: 'missing-field',
    message: (t) => `task ${t.id} has 'loop' but is missing 'next=loop'`,
    hint: 'add next=loop',
  },
  {
    key: 'next',
    test: (t, k) => IS_BLOCK(k) && value(t, 'next') === 'loop',
    code: 'unsupported',
    message: (t, k) => `task ${t.id}: next=loop on a ${k} block is not supported (TASKER crashes on it)`,
    hint: 'loop a sequential task instead',
  },
  ...['stdout_split', 'stderr_split'].map((key): Rule => ({
    key,
    test: (t) => has(t, key) && !/^[^,]*,\s*-?\d+$/.test(value(t, key)!),
    code: 'bad-value',
    message: (t) => `task ${t.id} has an invalid ${key} '${value(t, key)}'`,
    hint: "write 'delimiter,index', e.g. space,0",
  })),
  ...['retry_count', 'retry_delay'].flatMap((key): Rule[] => [
    {
      key,
      test: (t, k, tx) => IS_BLOCK(k) && retryProblem(tx, t, key) !== undefined,
      code: 'bad-value',
      message: (t, _k, tx) => `task ${t.id}: ${retryProblem(tx, t, key)}`,
      hint:
        key === 'retry_count'
          ? 'write retry_count=N with N from 1 to 1000'
          : 'write retry_delay=N seconds, N ≥ 0',
    },
  ]),
  ...['retry_count', 'retry_delay', 'retry_failed'].map((key): Rule => ({
    key,
    test: (t, k) => !IS_BLOCK(k) && has(t, key),
    code: 'unsupported',
    message: (t) => `task ${t.id}: '${key}' is ignored here; TASKER retries only the subtasks of a block`,
    hint: 'put retry_count/retry_delay on the type=parallel or type=conditional task',
    severity: 'warning',
  })),
];

const between = (n: number, lo: number, hi: number): boolean => n >= lo && n <= hi;
const blank = (s: string | undefined): string => (s ?? '').replace(/\s+/g, '');

/** TASKER's validator rules as diagnostics at the field's line, then its gap check (S13). */
export function checkTasks(tx: Tx, options: CheckOptions): void {
  for (const task of tx.tasks.values()) {
    const kind = kindOf(task);
    for (const [key, f] of task.fields)
      if (!KNOWN.has(key))
        report(
          tx,
          f.line,
          'unknown-key',
          `task ${task.id} has unknown field '${key}'; it is ignored`,
          'remove it, or check the spelling',
          'warning',
        );
    for (const key of REQUIRED[kind])
      if (!has(task, key))
        report(
          tx,
          task.line,
          'missing-field',
          `task ${task.id} (${kind}) is missing required field '${key}'`,
          `add ${key}=…`,
        );
    for (const r of RULES)
      if (r.test(task, kind, tx))
        report(
          tx,
          field(task, r.key ?? '')?.line ?? task.line,
          r.code,
          r.message(task, kind, tx),
          r.hint,
          r.severity,
        );
    checkJumps(tx, task);
    checkSubtasks(tx, task);
    if (!options.skipSecurity) checkSecurity(tx, task, kind);
    checkGlobalRefs(tx, task);
    checkUnresolvedHost(tx, task);
  }
  checkGaps(tx);
}

/** `on_success` / `on_failure`: a task id, forward only, defined. */
function checkJumps(tx: Tx, task: LegacyTask): void {
  for (const key of ['on_success', 'on_failure']) {
    const f = field(task, key);
    if (!f) continue;
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
}

/** `tasks=`, `if_true_tasks=`, `if_false_tasks=`: existing command tasks without routing. */
function checkSubtasks(tx: Tx, task: LegacyTask): void {
  for (const key of ['tasks', 'if_true_tasks', 'if_false_tasks']) {
    const f = field(task, key);
    if (!f) continue;
    const ids = listedIds(task, key);
    if (ids.length === 0)
      report(tx, f.line, 'empty-block', `task ${task.id}: '${key}' lists no task ids`, `write ${key}=N,M`);
    for (const n of ids) {
      const sub = tx.tasks.get(n);
      const routing = sub && ROUTING.find((k) => sub.fields.has(k));
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
      else if (IS_BLOCK(kindOf(sub)))
        report(
          tx,
          f.line,
          'unsupported',
          `task ${task.id} references subtask ${n} (${kindOf(sub)}); nested blocks are not supported`,
          'list command tasks only',
        );
      else if (routing)
        report(
          tx,
          field(sub, routing)!.line,
          'key-not-allowed',
          `subtask ${n} of task ${task.id} cannot have '${routing}'`,
          'subtasks cannot route: remove it',
        );
    }
  }
}
