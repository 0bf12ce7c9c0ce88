import type { Diagnostic } from '../model/diagnostic.js';
import type { ExecTypes } from './exec-types.js';
import type { RefContext } from './refs.js';
import type { Env } from './globals.js';
import type { HostUses } from './host-checks.js';
import { substituteGlobals } from './globals.js';
import { diag, type Field, type LegacyGlobal, type LegacyTask } from './types.js';

/** How a task file is read, beyond its text. */
export interface LegacyOptions {
  /** `-t/--type`, then `$TASK_EXECUTOR_TYPE`: the exec type of tasks without `exec=`. */
  defaultExec?: string;
  /** `--fire-and-forget`: a failing task without routing keys does not stop the workflow. */
  fireAndForget?: boolean;
  /** Environment that `$VAR` in globals expands from; omit for none (and to skip the unset-variable check). */
  env?: Env;
  /** Where to look for `execution_types.yaml`, first found wins; default: nowhere (only the built-in types). */
  execTypesPaths?: readonly string[];
  /** The paths were named explicitly (`--exec-types`, `$TASKER_EXEC_TYPES`): not finding one is an error. */
  execTypesRequired?: boolean;
  /** `--strict-env-validation` (S3): globals may only reference `$TASKER_*` variables. */
  strictEnv?: boolean;
  /** `--skip-host-validation`: no check of host names still holding `@NAME@` (S14 step 1). */
  skipHostValidation?: boolean;
  /** `--skip-unresolved-host-validation`: such host names are a warning, not an error. */
  allowUnresolvedHosts?: boolean;
}

/** A YAML step mapping under construction. */
export type YamlStep = Record<string, unknown>;

/** Translation state for one task file. */
export interface Tx {
  file: string;
  tasks: ReadonlyMap<number, LegacyTask>;
  globals: ReadonlyMap<string, LegacyGlobal>;
  /** Global values with `$VAR` expanded (what TASKER substitutes). */
  values: ReadonlyMap<string, string>;
  /** Global values as written. */
  rawValues: ReadonlyMap<string, string>;
  refs: RefContext;
  exec: ExecTypes;
  options: LegacyOptions;
  diagnostics: Diagnostic[];
  /** Host names used by `exec=ssh` tasks. */
  sshHosts: Set<string>;
  /** Hosts and the exec types they are used with, for host pre-validation (S14). */
  hostUses: HostUses;
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

/** `@VAR@` globals substituted as TASKER does (S4); with `env`, values have `$VAR` expanded first. */
export function resolveGlobals(tx: Tx, text: string, env = true): string {
  return substituteGlobals(text, env ? tx.values : tx.rawValues);
}
