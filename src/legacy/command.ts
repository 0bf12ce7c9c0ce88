import { currentScope, emptyScope, translateCondition } from './condition.js';
import { field, report, resolveGlobals, type Tx, type YamlStep } from './context.js';
import { canonicalExec, type ExecType } from './exec-types.js';
import { toTemplate } from './refs.js';
import { shlexSplit } from './shlex.js';
import type { LegacyTask } from './types.js';

/** The exec type of a task: `exec=`, then `-t`, then the configuration's default, then `local`. */
export function execOf(tx: Tx, task: LegacyTask): string {
  const written = field(task, 'exec')?.value ?? tx.options.defaultExec ?? tx.exec.defaultType;
  return canonicalExec(tx.exec, resolveGlobals(tx, written, false));
}

/** `run` (and `host`) of a command task; `extra` replaces `@task@` in arguments (generated subtasks). */
export function commandKeys(tx: Tx, task: LegacyTask, hostname?: string, taskToken?: string): YamlStep {
  const exec = execOf(tx, task);
  const command = inlineUnresolved(tx, field(task, 'command')?.value ?? '');
  let args = inlineUnresolved(tx, field(task, 'arguments')?.value ?? '');
  if (taskToken !== undefined) args = args.replaceAll('@task@', taskToken);
  const host = hostname ?? inlineUnresolved(tx, field(task, 'hostname')?.value ?? '');
  const line = field(task, 'command')?.line ?? task.line;
  tx.hostUses.add(resolveGlobals(tx, host), exec);
  if (exec === 'local') return { run: [tmpl(tx, command), ...splitArgs(tx, args, line)] };
  if (exec === 'ssh') {
    const name = resolveGlobals(tx, host);
    tx.sshHosts.add(name);
    return { host: name, run: [tmpl(tx, command), ...splitArgs(tx, args, line)] };
  }
  const type = tx.exec.types.get(exec);
  if (!type) {
    report(
      tx,
      field(task, 'exec')?.line ?? task.line,
      'bad-value',
      `execution type '${exec}' of task ${task.id} is not configured`,
      `use local, shell, ssh${[...tx.exec.types.keys()]
        .filter((t) => t !== 'shell')
        .map((t) => `, ${t}`)
        .join('')}, or add it to cfg/execution_types.yaml`,
    );
    return { run: ['false'] };
  }
  return { run: fromTemplate(tx, type, command, args, host, line) };
}

function fromTemplate(
  tx: Tx,
  type: ExecType,
  command: string,
  args: string,
  host: string,
  line: number,
): string[] {
  const out: string[] = [];
  for (const part of type.template) {
    if (part === '{arguments_split}') {
      out.push(...splitArgs(tx, args, line));
      continue;
    }
    const text = part
      .replaceAll('{binary}', type.binary)
      .replaceAll('{hostname}', host)
      .replaceAll('{command}', command)
      .replaceAll('{arguments}', args);
    out.push(tmpl(tx, text.trimEnd()));
  }
  return out;
}

/** A field naming a global that does not resolve fully gets every global substituted as text (S4). */
function inlineUnresolved(tx: Tx, text: string): string {
  const names = [...text.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)@/g)].map((m) => m[1]!);
  const unresolved = names.some((n) => tx.globals.has(n) && !tx.refs.globals.has(n));
  return unresolved ? resolveGlobals(tx, text, false) : text;
}

const tmpl = (tx: Tx, text: string): string => toTemplate(text, tx.refs).source;

/**
 * Arguments split like a shell, `$VAR` expanded from the environment. A global whose value has
 * spaces or quotes is inlined first, so it splits as in TASKER; result references never split.
 */
function splitArgs(tx: Tx, args: string, line: number): string[] {
  const inlined = args.replace(/@([A-Za-z_][A-Za-z0-9_]*)@/g, (whole, name: string) => {
    const g = tx.globals.get(name);
    return g && /[\s'"\\]/.test(g.value) ? resolveGlobals(tx, g.value, false) : whole;
  });
  const words = shlexSplit(inlined);
  if (!words) {
    report(
      tx,
      line,
      'bad-value',
      `arguments have an unclosed quote: '${args.slice(0, 60)}'`,
      'close the quote',
    );
    return [];
  }
  return words.map((w) => toTemplate(w, tx.refs, true).source);
}

/** Seconds from a numeric field (globals resolved), or undefined with a diagnostic. */
export function seconds(tx: Tx, task: LegacyTask, key: string): number | undefined {
  const f = field(task, key);
  if (!f) return undefined;
  const text = resolveGlobals(tx, f.value);
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) {
    report(
      tx,
      f.line,
      'bad-value',
      `task ${task.id} has an invalid ${key}: '${f.value}'`,
      `write ${key} as a number of seconds`,
    );
    return undefined;
  }
  return n;
}

/** TASKER clamps every command timeout to [5, 1000] s; the default comes from the exec type or 300 s. */
function timeoutOf(tx: Tx, task: LegacyTask): number {
  const own = seconds(tx, task, 'timeout');
  const base = own ?? tx.exec.types.get(execOf(tx, task))?.timeoutS ?? tx.exec.defaultTimeoutS;
  return clampTimeout(base);
}

export const clampTimeout = (s: number): number => Math.min(1000, Math.max(5, Math.trunc(s)));

/** Sets `timeout` on a step only where it differs from the workflow default. */
export function applyTimeout(tx: Tx, task: LegacyTask, step: YamlStep): void {
  const t = timeoutOf(tx, task);
  if (t !== clampTimeout(tx.exec.defaultTimeoutS)) step.timeout = t;
}

/** `success` / `failure` of a command task as a tasker `success:` expression (split output applied). */
export function successSource(tx: Tx, task: LegacyTask): string | undefined {
  const scope = currentScope(tx.refs, task.id, 'exit == 0');
  const s = field(task, 'success');
  const f = field(task, 'failure');
  if (s) return condition(tx, task, 'success', scope);
  if (f) {
    const c = condition(tx, task, 'failure', scope);
    return c === undefined ? undefined : `!(${c})`;
  }
  return undefined;
}

/** A condition field translated, or undefined with a diagnostic. */
export function condition(
  tx: Tx,
  task: LegacyTask,
  key: string,
  scope = currentScope(tx.refs, task.id, 'exit == 0'),
): string | undefined {
  const f = field(task, key);
  if (!f) return undefined;
  const r = translateCondition(
    resolveGlobals(tx, f.value),
    key === 'condition' ? emptyScope(tx.refs) : scope,
  );
  if (r.ok) return r.source;
  report(tx, f.line, 'expr-syntax', `task ${task.id} has an invalid ${key}: ${r.message}`, r.hint);
  return undefined;
}
