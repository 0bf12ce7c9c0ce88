import type { AstGroup, AstHost } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { toAstHost } from './ansible-connection.js';
import { HostDiagnostics } from './ansible-diagnostics.js';
import type { RawInventory } from './ansible-model.js';
import { groupOrder, hostVars, NO_VARS_DIRS, type VarsDirs } from './ansible-vars.js';

export interface AnsibleInventory {
  hosts: AstHost[];
  groups: AstGroup[];
}

/**
 * Applies variables to hosts with Ansible's precedence (inventory groups sorted by depth, priority
 * and name, then group_vars/ and host_vars/ files) and maps the ssh connection variables to host fields.
 */
export function buildAnsibleInventory(
  raw: RawInventory,
  diagnostics: Diagnostic[],
  dirs: VarsDirs = NO_VARS_DIRS,
): AnsibleInventory {
  const order = groupOrder(raw, diagnostics);
  const memberOf = memberships(raw);
  const d = new HostDiagnostics(diagnostics);
  const hosts = [...raw.hosts.values()].map((h) =>
    toAstHost(h.name, hostVars(raw, h.name.value, memberOf.get(h.name.value) ?? [], order, dirs), d),
  );
  d.flush();
  return { hosts, groups: toAstGroups(raw, memberOf) };
}

/** Every group each host belongs to, directly or through children, plus `all` and (for hosts in no other group) `ungrouped`. */
function memberships(raw: RawInventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of raw.groups.values())
    for (const c of g.children) parents.set(c.value, [...(parents.get(c.value) ?? []), g.name.value]);
  const directly = new Map<string, string[]>();
  for (const g of raw.groups.values())
    for (const h of g.hosts) directly.set(h.value, [...(directly.get(h.value) ?? []), g.name.value]);
  const out = new Map<string, string[]>();
  for (const h of raw.hosts.keys()) {
    const direct = directly.get(h) ?? [];
    const seen = new Set<string>();
    const stack = [...direct];
    for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...(parents.get(g) ?? []));
    }
    const others = [...seen].filter((g) => g !== 'all' && g !== 'ungrouped');
    if (others.length === 0) seen.add('ungrouped');
    else seen.delete('ungrouped');
    seen.add('all');
    out.set(h, [...seen]);
  }
  return out;
}

/** Every group as written, with `all` (every host) and `ungrouped` (hosts in no other group) always present. */
function toAstGroups(raw: RawInventory, memberOf: Map<string, string[]>): AstGroup[] {
  const groups: AstGroup[] = [];
  for (const g of raw.groups.values()) {
    if (g.name.value === 'all' || g.name.value === 'ungrouped') continue;
    groups.push({ name: g.name, members: [...g.hosts, ...g.children], span: g.name.span });
  }
  const hostNames = [...raw.hosts.values()].map((h) => h.name);
  const lonely = hostNames.filter((h) => memberOf.get(h.value)?.includes('ungrouped'));
  const ungrouped = raw.groups.get('ungrouped')!.name;
  const all = raw.groups.get('all')!.name;
  groups.push({ name: ungrouped, members: lonely, span: ungrouped.span });
  groups.push({ name: all, members: hostNames, span: all.span });
  return groups;
}
