import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { mergeInventory, parseInventoryText } from './inventory.js';
import { parseWorkflowText, type ParseOutput } from './parse-text.js';
import { badFile, MAX_FILE_BYTES } from './text.js';

type Read = { kind: 'ok'; bytes: Uint8Array } | { kind: 'error'; message: string; hint: string };

/** The only file reads in parse/: checks size before reading so a huge file is never loaded. */
async function readBounded(path: string): Promise<Read> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      return { kind: 'error', message: 'is not a regular file', hint: 'pass the path of a workflow file' };
    if (info.size > MAX_FILE_BYTES)
      return {
        kind: 'error',
        message: `is ${info.size} bytes; the limit is ${MAX_FILE_BYTES}`,
        hint: 'split it into smaller files',
      };
    return { kind: 'ok', bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable (permission denied)'
          : `cannot be read (${code ?? String(error)})`;
    return { kind: 'error', message, hint: 'check the path and its permissions' };
  }
}

/** Reads the file (and `inventory:` relative to it), merges inventory hosts/groups into the AST. */
export async function loadWorkflowFile(path: string): Promise<ParseOutput> {
  const read = await readBounded(path);
  if (read.kind === 'error') return { diagnostics: [badFile(path, read.message, read.hint).diagnostic] };
  const out = parseWorkflowText(read.bytes, path);
  if (out.workflow?.inventory) await loadInventory(out.workflow, path, out.diagnostics);
  return out;
}

async function loadInventory(workflow: Workflow, path: string, diagnostics: Diagnostic[]): Promise<void> {
  const ref = workflow.inventory!;
  const file = isAbsolute(ref.value) ? ref.value : join(dirname(path), ref.value);
  const read = await readBounded(file);
  if (read.kind === 'error') {
    const hint = `${read.hint}; \`inventory:\` is relative to the workflow file`;
    diagnostics.push({
      code: 'inventory',
      severity: 'error',
      message: `inventory ${file} ${read.message}`,
      span: ref.span,
      hint,
    });
    return;
  }
  mergeInventory(workflow, parseInventoryText(read.bytes, file, diagnostics), diagnostics);
}
