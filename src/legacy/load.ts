import { readFile, stat } from 'node:fs/promises';
import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import { parseWorkflowText } from '../parse/index.js';
import type { LegacyOptions } from './context.js';
import { emitYaml, lineMap } from './emit.js';
import { existsSync } from 'node:fs';
import { builtinExecTypes, loadExecTypes, type ExecTypes } from './exec-types.js';
import { checkFileArgs, type FileArgs } from './file-args.js';
import { checkGlobals } from './globals.js';
import type { HostChecks } from './host-checks.js';
import { parseTaskerArgv } from './argv.js';
import { readTaskFile } from './read-task-file.js';
import { translate } from './translate.js';
import { taskKinds, type TaskKind } from './task.js';
import { diag, lineSpan } from './types.js';
import type { CheckOptions } from './validate.js';

export type TaskFileOptions = LegacyOptions & CheckOptions;

export interface TaskFileOutput {
  /** Present whenever tasks could be read, even with errors (as `parseWorkflowText`). */
  workflow?: Workflow;
  /** The equivalent YAML workflow (`tasker convert`). */
  yaml?: string;
  /** Arguments written at the top of the task file. */
  fileArgs: FileArgs;
  /** The `execution_types.yaml` read, if one was found. */
  execTypesFile?: string;
  /** What host pre-validation (S14) checks. */
  hostChecks?: HostChecks;
  diagnostics: Diagnostic[];
}

/** Reads a TASKER task file into the same AST the YAML front end produces, with task-file spans. */
export async function loadTaskFile(path: string, options: TaskFileOptions = {}): Promise<TaskFileOutput> {
  let text: string;
  try {
    // A FIFO or a device would block the read (or never end): only regular files are read.
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      fileArgs: { flags: [] },
      diagnostics: [
        diag(path, 1, 'bad-file', `cannot read the task file: ${why}`, 'check the path and its permissions'),
      ],
    };
  }
  return parseTaskFileText(text, path, options);
}

/** The arguments written at the top of a task file (to merge with the command line's before parsing). */
export function taskFileArgs(text: string, file: string): FileArgs {
  return checkFileArgs(readTaskFile(text, file).args, file).args;
}

/** Task id → kind (`normal`, `return`, `parallel`, `conditional`, `decision`) of a task file's text. */
export function taskKindsOf(text: string, file: string): Map<number, TaskKind> {
  return taskKinds(readTaskFile(text, file).tasks);
}

/** Same as `loadTaskFile`, from text. */
export function parseTaskFileText(text: string, file: string, given: TaskFileOptions = {}): TaskFileOutput {
  const tf = readTaskFile(text, file);
  const fileArgs = checkFileArgs(tf.args, file);
  const options = withHeaderFlags(given, fileArgs.args);
  const diagnostics = [
    ...tf.diagnostics,
    ...fileArgs.diagnostics,
    ...checkGlobals(tf.globals, file, options.env ?? {}, options.strictEnv === true),
  ];
  if (tf.tasks.length === 0) {
    if (!diagnostics.some((d) => d.code === 'bad-id'))
      diagnostics.push(
        diag(
          file,
          1,
          'no-tasks',
          'no tasks found in the file',
          'add a task: task=0, hostname=localhost, command=…',
        ),
      );
    return { fileArgs: fileArgs.args, diagnostics };
  }
  const exec = readExecTypes(options, file, diagnostics);
  const t = translate(tf, exec, options);
  diagnostics.push(...t.tx.diagnostics);
  const yaml = emitYaml(t, file.split(/[\\/]/).pop() ?? file);
  const parsed = parseWorkflowText(yaml, file);
  const toLine = lineMap(yaml, t.notes);
  const remap = (s: Span): Span => lineSpan(file, toLine(s.line));
  // With task-file errors the YAML layer only repeats their consequences (an empty block, a missing step).
  const legacyErrors = diagnostics.some((d) => d.severity === 'error');
  if (!legacyErrors) diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, span: remap(d.span) })));
  const out: TaskFileOutput = { yaml, fileArgs: fileArgs.args, diagnostics: dedupe(diagnostics) };
  if (exec.source) out.execTypesFile = exec.source;
  out.hostChecks = t.tx.hostUses.toChecks(exec.types, exec.validationTimeoutS);
  // TASKER stops at its own validation errors; planning a broken file would only repeat them.
  if (parsed.workflow && !legacyErrors) out.workflow = remapSpans(parsed.workflow, remap);
  return out;
}

/** Flags written at the top of the file that change how it is read, under the caller's (booleans OR-ed). */
function withHeaderFlags(options: TaskFileOptions, args: FileArgs): TaskFileOptions {
  const header = parseTaskerArgv(args.flags);
  const on = (flag: string): boolean => header.flags.has(flag);
  const type = header.values.get('--type');
  return {
    ...options,
    ...(options.defaultExec === undefined && type ? { defaultExec: type } : {}),
    strictEnv: options.strictEnv === true || on('--strict-env-validation'),
    skipHostValidation: options.skipHostValidation === true || on('--skip-host-validation'),
    allowUnresolvedHosts: options.allowUnresolvedHosts === true || on('--skip-unresolved-host-validation'),
  };
}

/** The configured exec types; a named file that is missing or unreadable is an error (built-ins only then). */
function readExecTypes(options: TaskFileOptions, file: string, diagnostics: Diagnostic[]): ExecTypes {
  const paths = options.execTypesPaths ?? [];
  const fail = (why: string): ExecTypes => {
    diagnostics.push(
      diag(file, 1, 'bad-file', why, 'fix the file, or point --exec-types / $TASKER_EXEC_TYPES elsewhere'),
    );
    return builtinExecTypes();
  };
  if (options.execTypesRequired && !paths.some((p) => existsSync(p)))
    return fail(`execution types file not found: ${paths.join(', ')}`);
  try {
    return loadExecTypes(paths);
  } catch (err) {
    return fail(`cannot read execution_types.yaml: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Every span inside the AST now points at the task-file line the YAML came from. */
function remapSpans<T>(value: T, remap: (s: Span) => Span): T {
  if (Array.isArray(value)) return value.map((v: unknown) => remapSpans(v, remap)) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (isSpan(value)) return remap(value) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = remapSpans(v, remap);
  return out as T;
}

function isSpan(v: object): v is Span {
  return 'file' in v && 'line' in v && 'col' in v && 'endLine' in v && 'endCol' in v;
}

// The YAML layer may repeat a problem the task-file checks already reported on the same line.
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}:${d.span.line}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
