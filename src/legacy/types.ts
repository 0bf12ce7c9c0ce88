import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';

/** One `key=value` line of a task file. */
export interface Field {
  value: string;
  line: number;
}

export interface LegacyTask {
  id: number;
  line: number;
  fields: Map<string, Field>;
  /** `#` lines right above `task=`, kept for `tasker convert`. */
  comments: string[];
}

export interface LegacyGlobal {
  name: string;
  /** As written: `$VAR` environment references are expanded at run time. */
  value: string;
  line: number;
}

/** A task file split into its three sections, before any validation. */
export interface TaskFile {
  file: string;
  args: { text: string; line: number }[];
  globals: LegacyGlobal[];
  tasks: LegacyTask[];
  /** Comments above the first global or task. */
  header: string[];
  diagnostics: Diagnostic[];
}

/** A whole line as a span: TASKER works line by line. */
export function lineSpan(file: string, line: number, length = 1): Span {
  return { file, line, col: 1, endLine: line, endCol: Math.max(length, 1) + 1 };
}

export function diag(
  file: string,
  line: number,
  code: Diagnostic['code'],
  message: string,
  hint?: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  const d: Diagnostic = { code, severity, message, span: lineSpan(file, line) };
  if (hint) d.hint = hint;
  return d;
}

/** Keys a task may have (TASKER's KNOWN_TASK_FIELDS). */
export const TASK_FIELDS = [
  'task',
  'hostname',
  'command',
  'arguments',
  'next',
  'stdout_split',
  'stderr_split',
  'stdout_count',
  'stderr_count',
  'sleep',
  'loop',
  'loop_break',
  'on_failure',
  'on_success',
  'success',
  'failure',
  'condition',
  'exec',
  'timeout',
  'return',
  'type',
  'max_parallel',
  'tasks',
  'hostnames',
  'retry_failed',
  'retry_count',
  'retry_delay',
  'if_true_tasks',
  'if_false_tasks',
] as const;
