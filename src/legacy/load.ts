import { readFile } from 'node:fs/promises';
import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import { parseWorkflowText } from '../parse/index.js';
import type { LegacyOptions } from './context.js';
import { emitYaml, lineMap } from './emit.js';
import { execTypeSearchPaths, loadExecTypes } from './exec-types.js';
import { checkFileArgs, type FileArgs } from './file-args.js';
import { readTaskFile } from './read-task-file.js';
import { translate } from './translate.js';
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
  diagnostics: Diagnostic[];
}

/** Reads a TASKER task file into the same AST the YAML front end produces, with task-file spans. */
export async function loadTaskFile(path: string, options: TaskFileOptions = {}): Promise<TaskFileOutput> {
  let text: string;
  try {
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

/** Same as `loadTaskFile`, from text. */
export function parseTaskFileText(text: string, file: string, options: TaskFileOptions = {}): TaskFileOutput {
  const tf = readTaskFile(text, file);
  const fileArgs = checkFileArgs(tf.args, file);
  const diagnostics = [...tf.diagnostics, ...fileArgs.diagnostics];
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
  const paths = options.execTypesPaths ?? execTypeSearchPaths(process.argv[1], process.cwd());
  const t = translate(tf, loadExecTypes(paths), options);
  diagnostics.push(...t.tx.diagnostics);
  const yaml = emitYaml(t, file.split(/[\\/]/).pop() ?? file);
  const parsed = parseWorkflowText(yaml, file);
  const toLine = lineMap(yaml, t.notes);
  const remap = (s: Span): Span => lineSpan(file, toLine(s.line));
  // With task-file errors the YAML layer only repeats their consequences (an empty block, a missing step).
  const legacyErrors = diagnostics.some((d) => d.severity === 'error');
  if (!legacyErrors) diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, span: remap(d.span) })));
  const out: TaskFileOutput = { yaml, fileArgs: fileArgs.args, diagnostics: dedupe(diagnostics) };
  // TASKER stops at its own validation errors; planning a broken file would only repeat them.
  if (parsed.workflow && !legacyErrors) out.workflow = remapSpans(parsed.workflow, remap);
  return out;
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
