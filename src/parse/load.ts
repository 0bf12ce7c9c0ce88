import { dirname } from 'node:path';
import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { fromWorkflowFile } from '../model/paths.js';
import { warnAnsibleCfg } from './ansible-cfg.js';
import type { VarsDirs } from './ansible-vars.js';
import { mergeInventory, parseInventoryFiles, type InventoryText } from './inventory.js';
import { readInventoryDir, readVarsDir, varsDirPaths } from './inventory-files.js';
import { parseWorkflowText, type ParseOutput } from './parse-text.js';
import { kindOf, readBounded } from './read.js';
import { badFile } from './text.js';

/** Reads the file (and `inventory:` relative to it), merges inventory hosts/groups into the AST. */
export async function loadWorkflowFile(path: string): Promise<ParseOutput> {
  const read = await readBounded(path);
  if (read.kind === 'error') return { diagnostics: [badFile(path, read.message, read.hint).diagnostic] };
  const out = parseWorkflowText(read.bytes, path);
  if (out.workflow?.inventory) await loadInventory(out.workflow, path, out.diagnostics);
  return out;
}

/**
 * `inventory:` is a file or (Ansible) a directory of files; the group_vars/ and host_vars/ beside it
 * and beside the workflow (Ansible's playbook directory) apply to Ansible inventories.
 */
async function loadInventory(workflow: Workflow, path: string, diagnostics: Diagnostic[]): Promise<void> {
  const ref = workflow.inventory!;
  const source = fromWorkflowFile(path, ref.value);
  const isDir = (await kindOf(source)) === 'dir';
  let files: InventoryText[];
  if (isDir) files = await readInventoryDir(source, ref.span, diagnostics);
  else {
    const read = await readBounded(source);
    if (read.kind === 'error') {
      const hint = `${read.hint}; \`inventory:\` is relative to the workflow file`;
      diagnostics.push({
        code: 'inventory',
        severity: 'error',
        message: `inventory ${source} ${read.message}`,
        span: ref.span,
        hint,
      });
      return;
    }
    files = [{ path: source, bytes: read.bytes }];
  }
  const where = await varsDirPaths(isDir ? source : dirname(source), dirname(path));
  const dirs: VarsDirs = {
    inventory: await Promise.all(where.inventory.map((d) => readVarsDir(d, diagnostics))),
    playbook: await Promise.all(where.playbook.map((d) => readVarsDir(d, diagnostics))),
  };
  mergeInventory(workflow, parseInventoryFiles(files, source, diagnostics, dirs), diagnostics);
  await warnAnsibleCfg([dirname(path), isDir ? source : dirname(source)], diagnostics);
}
