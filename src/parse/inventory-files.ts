import { realpath } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import type { RawVar } from './ansible-model.js';
import type { VarsDir } from './ansible-vars.js';
import { parseVarsFile } from './inventory.js';
import { kindOf, listDir, readBounded } from './read.js';

/** More files than this under one inventory or vars directory are refused rather than read. */
const MAX_INVENTORY_FILES = 2000;

/**
 * Names Ansible skips in an inventory directory (ansible/inventory/manager.py IGNORED): hidden
 * entries, host_vars/group_vars/vars_plugins, and the default INVENTORY_IGNORE_EXTS, which include `.ini`.
 */
const IGNORED =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;

export interface InventoryFile {
  path: string;
  bytes: Uint8Array;
}

/** The files of an inventory given as a directory, in Ansible's order (sorted, depth first); what is skipped is said. */
export async function readInventoryDir(
  dir: string,
  at: Span,
  diagnostics: Diagnostic[],
): Promise<InventoryFile[]> {
  const out: InventoryFile[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const name of await listDir(d)) {
      if (IGNORED.test(name) || out.length >= MAX_INVENTORY_FILES || depth > 16) continue;
      const path = join(d, name);
      const kind = await kindOf(path);
      if (kind === 'dir') await walk(path, depth + 1);
      else if (kind === 'executable')
        warn(
          diagnostics,
          at,
          `${path} is executable, so Ansible would run it as a dynamic inventory script; tasker does not run it and its hosts are missing`,
          `export its hosts with \`ansible-inventory -i ${path} --list -y\` into a file here`,
        );
      else if (kind === 'file') {
        const read = await readBounded(path);
        if (read.kind === 'ok') out.push({ path, bytes: read.bytes });
        else err(diagnostics, at, `inventory file ${path} ${read.message}`, read.hint);
      }
    }
  };
  await walk(dir, 0);
  if (out.length >= MAX_INVENTORY_FILES)
    err(
      diagnostics,
      at,
      `inventory directory ${dir} has more than ${MAX_INVENTORY_FILES} files`,
      'point inventory: at a smaller directory',
    );
  return out;
}

const VARS_EXTS = ['.yml', '.yaml', '.json'];

/**
 * `group_vars/` and `host_vars/` in `dir`, as Ansible's host_group_vars plugin finds them: for a name,
 * the first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists; a directory contributes its
 * files (sorted, recursively; hidden and `~` files skipped; only those extensions or none).
 */
export async function readVarsDir(dir: string, diagnostics: Diagnostic[]): Promise<VarsDir> {
  return {
    dir,
    groups: await readVarsKind(join(dir, 'group_vars'), diagnostics),
    hosts: await readVarsKind(join(dir, 'host_vars'), diagnostics),
  };
}

async function readVarsKind(dir: string, diagnostics: Diagnostic[]): Promise<Map<string, RawVar[]>> {
  const best = new Map<string, { rank: number; entry: string }>();
  for (const entry of await listDir(dir)) {
    const candidates: [string, number][] = [[entry, 0]];
    const ext = VARS_EXTS.indexOf(extname(entry));
    if (ext >= 0) candidates.push([entry.slice(0, -extname(entry).length), ext + 1]);
    for (const [name, rank] of candidates)
      if ((best.get(name)?.rank ?? Infinity) > rank) best.set(name, { rank, entry });
  }
  const out = new Map<string, RawVar[]>();
  // `web.yml` is a candidate for the names `web` and `web.yml`: each file is read once.
  const cache = new Map<string, RawVar[]>();
  for (const [name, { entry }] of best) {
    const path = join(dir, entry);
    const files = (await kindOf(path)) === 'dir' ? await varsFilesIn(path) : [path];
    const vars: RawVar[] = [];
    for (const f of files) {
      if (!cache.has(f) && cache.size < MAX_INVENTORY_FILES) cache.set(f, await readVarsFile(f, diagnostics));
      vars.push(...(cache.get(f) ?? []));
    }
    out.set(name, vars);
  }
  return out;
}

async function readVarsFile(f: string, diagnostics: Diagnostic[]): Promise<RawVar[]> {
  const read = await readBounded(f);
  if (read.kind === 'ok') return parseVarsFile(read.bytes, f, diagnostics);
  diagnostics.push({
    code: 'inventory',
    severity: 'error',
    message: `vars file ${f} ${read.message}`,
    span: { file: f, line: 1, col: 1, endLine: 1, endCol: 1 },
    hint: read.hint,
  });
  return [];
}

async function varsFilesIn(dir: string, depth = 0): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listDir(dir)) {
    if (name.startsWith('.') || name.endsWith('~') || depth > 16) continue;
    const path = join(dir, name);
    const ext = extname(name);
    const kind = await kindOf(path);
    if (kind === 'dir' && ext === '') out.push(...(await varsFilesIn(path, depth + 1)));
    else if ((kind === 'file' || kind === 'executable') && (ext === '' || VARS_EXTS.includes(ext)))
      out.push(path);
  }
  return out;
}

/** The directories whose group_vars/ and host_vars/ apply, each once: the inventory's, then the workflow's. */
export async function varsDirPaths(
  inventoryDir: string,
  workflowDir: string,
): Promise<{ inventory: string[]; playbook: string[] }> {
  const real = async (p: string): Promise<string> => realpath(p).catch(() => p);
  const same = (await real(inventoryDir)) === (await real(workflowDir));
  return { inventory: [inventoryDir], playbook: same ? [] : [workflowDir] };
}

function warn(diagnostics: Diagnostic[], span: Span, message: string, hint: string): void {
  diagnostics.push({ code: 'inventory', severity: 'warning', message, span, hint });
}

function err(diagnostics: Diagnostic[], span: Span, message: string, hint: string): void {
  diagnostics.push({ code: 'inventory', severity: 'error', message, span, hint });
}
