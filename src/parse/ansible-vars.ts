import type { Diagnostic } from '../model/diagnostic.js';
import type { RawGroup, RawInventory, RawVar } from './ansible-model.js';

/** `group_vars/` and `host_vars/` of one directory: name → the variables of its file(s), in load order. */
export interface VarsDir {
  dir: string;
  groups: ReadonlyMap<string, RawVar[]>;
  hosts: ReadonlyMap<string, RawVar[]>;
}

/** Where vars files sit: beside the inventory first, then beside the workflow (Ansible's playbook dir). */
export interface VarsDirs {
  inventory: VarsDir[];
  playbook: VarsDir[];
}

export const NO_VARS_DIRS: VarsDirs = { inventory: [], playbook: [] };

/** Group depth (longest path from `all`) and priority, which order the merge of group vars. */
export interface GroupOrder {
  depth: ReadonlyMap<string, number>;
  priority: ReadonlyMap<string, number>;
}

/**
 * A host's variables with Ansible's precedence (ansible/vars/manager.py, default VARIABLE_PRECEDENCE):
 * `all` vars, other groups' vars (sorted), group_vars/all beside the inventory then the playbook,
 * group_vars/<group> (sorted) likewise, the host's own vars, host_vars/<host> likewise.
 */
export function hostVars(
  raw: RawInventory,
  host: string,
  groups: readonly string[],
  order: GroupOrder,
  dirs: VarsDirs,
): Map<string, RawVar> {
  const out = new Map<string, RawVar>();
  const put = (vars: readonly RawVar[] | undefined): void => {
    for (const v of vars ?? []) out.set(v.name, v);
  };
  // In the inventory itself, ansible_group_priority orders groups and is not a variable.
  const putGroup = (g: string): void =>
    put(raw.groups.get(g)?.vars.filter((v) => v.name !== 'ansible_group_priority'));
  const sorted = sortGroups(
    groups.filter((g) => g !== 'all'),
    order,
  );
  putGroup('all');
  for (const g of sorted) putGroup(g);
  for (const d of [...dirs.inventory, ...dirs.playbook]) put(d.groups.get('all'));
  for (const d of dirs.inventory) for (const g of sorted) put(d.groups.get(g));
  for (const d of dirs.playbook) for (const g of sorted) put(d.groups.get(g));
  put(raw.hosts.get(host)?.vars);
  for (const d of [...dirs.inventory, ...dirs.playbook]) put(d.hosts.get(host));
  return out;
}

/** Ansible's `sort_groups`: by depth, then `ansible_group_priority`, then name by code point. */
function sortGroups(groups: readonly string[], order: GroupOrder): string[] {
  return [...groups].sort(
    (a, b) =>
      (order.depth.get(a) ?? 1) - (order.depth.get(b) ?? 1) ||
      (order.priority.get(a) ?? 1) - (order.priority.get(b) ?? 1) ||
      codePointCompare(a, b),
  );
}

function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Depths (all = 0, top-level groups 1, a child one more than its deepest parent) and priorities; a cycle is an error, as in Ansible. */
export function groupOrder(raw: RawInventory, diagnostics: Diagnostic[]): GroupOrder {
  const depth = new Map<string, number>();
  const cycles = new Set<string>();
  const visit = (g: RawGroup, d: number, path: Set<string>): void => {
    if ((depth.get(g.name.value) ?? -1) >= d) return;
    depth.set(g.name.value, d);
    path.add(g.name.value);
    for (const c of g.children) {
      const child = raw.groups.get(c.value);
      if (!child) continue;
      if (path.has(c.value)) {
        if (!cycles.has(c.value))
          diagnostics.push({
            code: 'inventory',
            severity: 'error',
            message: `adding group "${c.value}" as a child of "${g.name.value}" makes a loop; Ansible refuses this`,
            span: c.span,
            hint: 'remove one direction of the parent/child link',
          });
        cycles.add(c.value);
      } else visit(child, d + 1, path);
    }
    path.delete(g.name.value);
  };
  for (const g of raw.groups.values()) visit(g, g.name.value === 'all' ? 0 : 1, new Set());
  return { depth, priority: priorities(raw, diagnostics) };
}

function priorities(raw: RawInventory, diagnostics: Diagnostic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of raw.groups.values())
    for (const v of g.vars) {
      if (v.name !== 'ansible_group_priority') continue;
      const n = v.value.kind === 'scalar' ? Number(v.value.text) : NaN;
      if (Number.isInteger(n)) out.set(g.name.value, n);
      else
        diagnostics.push({
          code: 'inventory',
          severity: 'error',
          message: 'ansible_group_priority must be a whole number',
          span: v.valueSpan,
          hint: 'write ansible_group_priority=10',
        });
    }
  return out;
}
