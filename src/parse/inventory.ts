import { isMap, isSeq, type Node } from 'yaml';
import { buildAnsibleInventory } from './ansible-inventory.js';
import { readAnsibleIni } from './ansible-ini.js';
import { isAnsibleYamlShape, readAnsibleYaml } from './ansible-yaml.js';
import type { AstGroup, AstHost } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Workflow } from '../model/ast.js';
import { report, spanAt, type ParseContext } from './context.js';
import { readGroups, readHosts } from './hosts.js';
import { describe, entries, knownEntries } from './nodes.js';
import { decodeText } from './text.js';
import { parseYaml } from './yaml.js';

export interface Inventory {
  hosts: AstHost[];
  groups: AstGroup[];
}

/**
 * An inventory file: tasker's shape (`hosts:` and `groups:` as in a workflow), or an Ansible inventory,
 * told apart by content: INI when the first line is a `[section]` or the text is not a YAML collection
 * (never for `.yaml`/`.yml`/`.json` names), Ansible YAML when it has `all:` or group mappings.
 */
export function parseInventoryText(
  input: string | Uint8Array,
  file: string,
  diagnostics: Diagnostic[],
): Inventory {
  const out: Inventory = { hosts: [], groups: [] };
  const decoded = decodeText(input, file);
  if (decoded.kind === 'error') {
    diagnostics.push(decoded.diagnostic);
    return out;
  }
  const yamlName = /\.(ya?ml|json)$/i.test(file);
  if (!yamlName && startsWithSection(decoded.text)) return ansibleIni(decoded.text, file, diagnostics);
  const yamlDiagnostics: Diagnostic[] = [];
  const parsed = parseYaml(decoded.text, file, yamlDiagnostics);
  const root = parsed?.doc.contents ?? null;
  if (!yamlName && !isMap(root) && !isSeq(root)) return ansibleIni(decoded.text, file, diagnostics);
  diagnostics.push(...yamlDiagnostics);
  if (!parsed) return out;
  const ctx: ParseContext = { ...parsed, diagnostics };
  if (!isMap(root)) {
    notAMap(ctx, root);
    return out;
  }
  if (isAnsibleYamlShape(ctx, root)) return buildAnsibleInventory(readAnsibleYaml(ctx, root), diagnostics);
  for (const e of knownEntries(ctx, entries(ctx, root), ['hosts', 'groups'], 'the inventory')) {
    if (e.key === 'hosts') out.hosts = readHosts(ctx, e.value, e.keySpan);
    else out.groups = readGroups(ctx, e.value, e.keySpan);
  }
  return out;
}

function ansibleIni(text: string, file: string, diagnostics: Diagnostic[]): Inventory {
  return buildAnsibleInventory(readAnsibleIni(text, file, diagnostics), diagnostics);
}

/** The first line that is not blank or a comment is an INI `[section]` header. */
function startsWithSection(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    return /^\[[^\]\s]+\]\s*(?:[#;].*)?$/.test(t);
  }
  return false;
}

function notAMap(ctx: ParseContext, root: Node | null): void {
  const msg = `an inventory must be a mapping with \`hosts\` and \`groups\`, got ${describe(root ?? undefined)}`;
  report(ctx, 'inventory', spanAt(ctx, 0, 0), msg, 'write `hosts:` and `groups:` at the top level');
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
