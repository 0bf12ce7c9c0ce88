import type { Diagnostic } from '../model/diagnostic.js';
import type { ExecTypes } from './exec-types.js';
import type { RefContext } from './refs.js';
import { diag, type Field, type LegacyGlobal, type LegacyTask } from './types.js';

/** How a task file is read, beyond its text. */
export interface LegacyOptions {
  /** `-t/--type`, then `$TASK_EXECUTOR_TYPE`: the exec type of tasks without `exec=`. */
  defaultExec?: string;
  /** `--fire-and-forget`: a failing task without routing keys does not stop the workflow. */
  fireAndForget?: boolean;
  /** Environment for the "used global references an unset variable" check; omit to skip it. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where to look for `execution_types.yaml`; default: TASKER's places. */
  execTypesPaths?: readonly string[];
}

/** A YAML step mapping under construction. */
export type YamlStep = Record<string, unknown>;

/** Translation state for one task file. */
export interface Tx {
  file: string;
  tasks: ReadonlyMap<number, LegacyTask>;
  globals: ReadonlyMap<string, LegacyGlobal>;
  refs: RefContext;
  exec: ExecTypes;
  options: LegacyOptions;
  diagnostics: Diagnostic[];
  /** Host names used by `exec=ssh` tasks. */
  sshHosts: Set<string>;
  /** Step id → the `#` comments to print above it, and the task-file line it comes from. */
  notes: Map<string, { comments: string[]; line: number }>;
}

export function field(task: LegacyTask, key: string): Field | undefined {
  return task.fields.get(key);
}

export function report(
  tx: Tx,
  line: number,
  code: Diagnostic['code'],
  message: string,
  hint: string,
  severity: Diagnostic['severity'] = 'error',
): void {
  tx.diagnostics.push(diag(tx.file, line, code, message, hint, severity));
}

/** `@VAR@` globals substituted statically (fields TASKER reads as numbers or host names). */
export function resolveGlobals(tx: Tx, text: string, env = true): string {
  let out = text;
  for (let pass = 0; pass < 10 && /@[A-Za-z_][A-Za-z0-9_]*@/.test(out); pass++) {
    out = out.replace(
      /@([A-Za-z_][A-Za-z0-9_]*)@/g,
      (whole, name: string) => tx.globals.get(name)?.value ?? whole,
    );
  }
  return env ? expandEnv(out, tx.options.env ?? process.env) : out;
}

/** Python's os.path.expandvars: `$NAME` and `${NAME}`; unset variables stay as written. */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a?: string, b?: string) => env[a ?? b ?? ''] ?? whole,
  );
}

export const stepIdOf = (id: number): string => `t${id}`;
