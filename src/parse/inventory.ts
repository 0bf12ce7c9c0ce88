import { isMap, type Node } from 'yaml';
import { buildAnsibleInventory } from './ansible-inventory.js';
import { readAnsibleIni } from './ansible-ini.js';
import { emptyRaw, type RawInventory, type RawVar } from './ansible-model.js';
import { NO_VARS_DIRS, type VarsDirs } from './ansible-vars.js';
import { isAnsibleYamlShape, mapEntries, rawVar, readAnsibleYaml } from './ansible-yaml.js';
import type { AstGroup, AstHost } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Workflow } from '../model/ast.js';
import { report, spanAt, type ParseContext } from './context.js';
import { readGroups, readHosts } from './hosts.js';
import { describe, entries, isNull, knownEntries } from './nodes.js';
import { decodeText } from './text.js';
import { dropConsequences } from './garbled.js';
import { parseYaml } from './yaml.js';

export interface Inventory {
  hosts: AstHost[];
  groups: AstGroup[];
}

/** One file of an inventory: its path and contents. */
export interface InventoryText {
  path: string;
  bytes: string | Uint8Array;
}

/**
 * An inventory file: tasker's shape (`hosts:` and `groups:` as in a workflow), or an Ansible
 * inventory (INI or YAML), told apart as docs/inventory.md says; group_vars/host_vars from `dirs`.
 */
export function parseInventoryText(
  input: string | Uint8Array,
  file: string,
  diagnostics: Diagnostic[],
  dirs: VarsDirs = NO_VARS_DIRS,
): Inventory {
  return parseInventoryFiles([{ path: file, bytes: input }], file, diagnostics, dirs);
}

/** Several files are one Ansible inventory (a directory's files, in Ansible's order); tasker's shape only alone. */
export function parseInventoryFiles(
  files: readonly InventoryText[],
  source: string,
  diagnostics: Diagnostic[],
  dirs: VarsDirs = NO_VARS_DIRS,
): Inventory {
  const raw = emptyRaw(source);
  for (const f of files) {
    const tasker = readFile(f, raw, diagnostics, files.length === 1);
    if (tasker) return tasker;
  }
  return buildAnsibleInventory(raw, diagnostics, dirs);
}

const YAML_NAME = /\.(ya?ml|json)$/i;

/** Reads one file into `raw` (Ansible) or returns it (tasker's shape, when `alone`). */
function readFile(
  f: InventoryText,
  raw: RawInventory,
  diagnostics: Diagnostic[],
  alone: boolean,
): Inventory | undefined {
  const decoded = decodeText(f.bytes, f.path);
  if (decoded.kind === 'error') {
    diagnostics.push(decoded.diagnostic);
    return undefined;
  }
  const text = decoded.text;
  const yamlName = YAML_NAME.test(f.path);
  if (!yamlName && startsWithSection(text)) return void readAnsibleIni(text, f.path, diagnostics, raw);
  const yamlDiagnostics: Diagnostic[] = [];
  const parsed = parseYaml(text, f.path, yamlDiagnostics, false);
  const root = parsed?.doc.contents ?? null;
  const clean = !yamlDiagnostics.some((d) => d.severity === 'error');
  if (!yamlName && !(clean && isMap(root))) return void readAnsibleIni(text, f.path, diagnostics, raw);
  // Ansible's ini plugin reads any file its yaml plugin could not, whatever the name.
  if (yamlName && !(clean && (isMap(root) || isNull(root ?? undefined))) && readsAsIni(text, f.path))
    return void readAnsibleIni(text, f.path, diagnostics, raw);
  diagnostics.push(...withoutAnsibleTags(yamlDiagnostics));
  if (!parsed) return undefined;
  const ctx: ParseContext = { ...parsed, diagnostics };
  if (!isMap(root)) {
    if (!isNull(root ?? undefined)) notAMap(ctx, root);
    return undefined;
  }
  if (isAnsibleYamlShape(ctx, root)) return void readAnsibleYaml(ctx, root, raw);
  if (!alone) {
    report(
      ctx,
      'inventory',
      spanAt(ctx, 0, 0),
      "tasker's own inventory shape (hosts:/groups:) cannot be one file of an inventory directory",
      'point inventory: at this file alone',
    );
    return undefined;
  }
  return taskerShape(text, f.path, diagnostics);
}

/** tasker's shape, parsed again with repeated keys refused as in a workflow. */
function taskerShape(text: string, file: string, diagnostics: Diagnostic[]): Inventory {
  const out: Inventory = { hosts: [], groups: [] };
  const own: Diagnostic[] = [];
  const parsed = parseYaml(text, file, own);
  if (parsed && isMap(parsed.doc.contents)) {
    const ctx: ParseContext = { ...parsed, diagnostics: own };
    for (const e of knownEntries(
      ctx,
      entries(ctx, parsed.doc.contents),
      ['hosts', 'groups'],
      'the inventory',
    )) {
      if (e.key === 'hosts') out.hosts = readHosts(ctx, e.value, e.keySpan);
      else out.groups = readGroups(ctx, e.value, e.keySpan);
    }
  }
  // An over-indented key is reported once, not also as the mapping YAML then misread.
  diagnostics.push(...dropConsequences(own, parsed?.garbled ?? []));
  return out;
}

/**
 * A group_vars/ or host_vars/ file: a YAML (or JSON) mapping of variables, or empty. A vault-encrypted
 * file cannot be read and says so.
 */
export function parseVarsFile(bytes: Uint8Array, file: string, diagnostics: Diagnostic[]): RawVar[] {
  const decoded = decodeText(bytes, file);
  if (decoded.kind === 'error') {
    diagnostics.push(decoded.diagnostic);
    return [];
  }
  const start = { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  if (decoded.text.startsWith('$ANSIBLE_VAULT;')) {
    diagnostics.push({
      code: 'inventory',
      severity: 'warning',
      message: `${file} is encrypted with ansible-vault; tasker cannot read it, so its variables are missing`,
      span: start,
      hint: 'keep connection variables (ansible_host, ansible_user, …) in an unencrypted file',
    });
    return [];
  }
  const yamlDiagnostics: Diagnostic[] = [];
  const parsed = parseYaml(decoded.text, file, yamlDiagnostics, false);
  diagnostics.push(...withoutAnsibleTags(yamlDiagnostics));
  if (!parsed) return [];
  const ctx: ParseContext = { ...parsed, diagnostics };
  const root = parsed.doc.contents;
  if (isNull(root ?? undefined)) return [];
  if (!isMap(root)) {
    report(
      ctx,
      'inventory',
      start,
      `a vars file must be a mapping of variables, got ${describe(root ?? undefined)}`,
      'write name: value lines',
    );
    return [];
  }
  return mapEntries(ctx, root).map((e) => rawVar(ctx, e));
}

/** `!vault` and `!unsafe` are Ansible's tags: the values they mark are judged where they are used, not as unknown tags. */
function withoutAnsibleTags(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => !/^Unresolved tag: !(vault|unsafe)\b/.test(d.message));
}

/** The text is an INI inventory with hosts and without a single error. */
function readsAsIni(text: string, file: string): boolean {
  const scratch: Diagnostic[] = [];
  const raw = readAnsibleIni(text, file, scratch);
  return raw.hosts.size > 0 && !scratch.some((d) => d.severity === 'error');
}

/** The first line that is not blank or a comment is an INI `[section]` header. */
function startsWithSection(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    return /^\[[^:\]\s]+(?::\w+)?\]\s*(?:#.*)?$/.test(t);
  }
  return false;
}

function notAMap(ctx: ParseContext, root: Node | null): void {
  const msg = `an inventory must be a mapping of groups (or tasker's \`hosts\` and \`groups\`), got ${describe(root ?? undefined)}`;
  report(
    ctx,
    'inventory',
    spanAt(ctx, 0, 0),
    msg,
    'write `all:` with `hosts:` under it, or tasker’s `hosts:` and `groups:`',
  );
}

/** Adds inventory hosts and groups; a name the workflow already defines keeps the workflow's entry. */
export function mergeInventory(workflow: Workflow, inventory: Inventory, diagnostics: Diagnostic[]): void {
  const hostNames = new Set(workflow.hosts.map((h) => h.name.value));
  for (const h of inventory.hosts) {
    if (hostNames.has(h.name.value)) shadowed(diagnostics, h.name.span, 'host', h.name.value);
    else workflow.hosts.push(h);
  }
  const groupNames = new Set(workflow.groups.map((g) => g.name.value));
  for (const g of inventory.groups) {
    if (groupNames.has(g.name.value)) shadowed(diagnostics, g.name.span, 'group', g.name.value);
    else workflow.groups.push(g);
  }
}

function shadowed(diagnostics: Diagnostic[], span: Diagnostic['span'], what: string, name: string): void {
  const message = `${what} "${name}" is also defined in the workflow, which wins`;
  diagnostics.push({
    code: 'inventory',
    severity: 'warning',
    message,
    span,
    hint: `remove one of the two definitions of "${name}"`,
  });
}
