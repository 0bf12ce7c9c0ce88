import { open, stat, type FileHandle } from 'node:fs/promises';
import {
  detectFormat,
  loadTaskFile,
  parseTaskFileText,
  type HostChecks,
  type TaskFileOptions,
} from '../legacy/index.js';
import { dropConsequences, loadWorkflowFile, type ParseOutput } from '../parse/index.js';
import { buildPlan, type PlanOptions } from '../plan/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Workflow } from '../model/ast.js';
import type { Plan } from '../model/plan.js';
import { confineDiagnostics } from './confine.js';

export interface Validation {
  /** Set only when there is no error. */
  plan?: Plan;
  workflow?: Workflow;
  /** Every problem of the file (and its inventory), errors and warnings, sorted by position. */
  diagnostics: Diagnostic[];
  /** A task file's `execution_types.yaml`, when one was read. */
  execTypesFile?: string;
  /** A task file's hosts and exec types, for TASKER's host pre-validation. */
  hostChecks?: HostChecks;
}

export interface ValidateOptions extends PlanOptions {
  /** How a TASKER task file is read (exec type default, fire-and-forget, security checks). */
  legacy?: TaskFileOptions;
  /** The file's bytes, already read by the caller: a task file is parsed from them, not read again. */
  bytes?: Buffer;
}

/** Parse and plan a workflow file (YAML or TASKER task file, told apart by content) without running anything. */
export async function validateWorkflowFile(path: string, options: ValidateOptions = {}): Promise<Validation> {
  const { legacy, bytes, ...planOptions } = options;
  const text = bytes?.toString('utf8');
  const format = text === undefined ? await formatOf(path) : detectFormat(text.slice(0, SNIFF_BYTES));
  const parsed: ParseOutput & { execTypesFile?: string; hostChecks?: HostChecks } =
    format === 'yaml'
      ? await loadWorkflowFile(path)
      : text === undefined
        ? await loadTaskFile(path, legacy)
        : parseTaskFileText(text, path, legacy);
  const source = {
    ...(parsed.execTypesFile ? { execTypesFile: parsed.execTypesFile } : {}),
    ...(parsed.hostChecks ? { hostChecks: parsed.hostChecks } : {}),
  };
  if (!parsed.workflow)
    return { diagnostics: confineDiagnostics(sortDiagnostics(parsed.diagnostics), path), ...source };
  const planned = buildPlan(parsed.workflow, { ...planOptions, format });
  const diagnostics = confineDiagnostics(
    sortDiagnostics(
      dedupe(dropConsequences([...parsed.diagnostics, ...planned.diagnostics], parsed.garbled ?? [])),
    ),
    path,
  );
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return hasError || !planned.plan
    ? { workflow: parsed.workflow, diagnostics, ...source }
    : { plan: planned.plan, workflow: parsed.workflow, diagnostics, ...source };
}

/** `tasker` for TASKER `key=value` task files, else `yaml` (an unreadable or non-regular file is left to the YAML loader, which names it). */
export async function formatOf(path: string): Promise<'yaml' | 'tasker'> {
  // The head decides: the loaders check size and encoding before reading a hostile file whole.
  let file: FileHandle | undefined;
  try {
    // Opening a FIFO (or a device) blocks until a writer comes: only regular files are opened.
    if (!(await stat(path)).isFile()) return 'yaml';
    file = await open(path, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return detectFormat(head.subarray(0, bytesRead).toString('utf8'));
  } catch {
    return 'yaml';
  } finally {
    await file?.close();
  }
}

const SNIFF_BYTES = 64 * 1024;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.line - b.span.line || a.span.col - b.span.col,
  );
}

// A partial AST can make plan repeat a problem parse already reported at the same place.
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}:${d.span.file}:${d.span.line}:${d.span.col}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
