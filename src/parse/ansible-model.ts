import type { Located, Span } from '../model/span.js';

/** What an Ansible inventory (INI or YAML) says before group vars are applied to hosts. */
export interface RawVar {
  name: string;
  value: string;
  nameSpan: Span;
  valueSpan: Span;
}

export interface RawHost {
  name: Located<string>;
  vars: RawVar[];
}

export interface RawGroup {
  name: Located<string>;
  hosts: Located<string>[];
  children: Located<string>[];
  vars: RawVar[];
}

export interface RawInventory {
  file: string;
  /** In first-seen order. */
  hosts: Map<string, RawHost>;
  groups: Map<string, RawGroup>;
}

export function emptyRaw(file: string): RawInventory {
  return { file, hosts: new Map(), groups: new Map() };
}

/** The group, created at `name` the first time it is mentioned (Ansible creates groups implicitly). */
export function ensureGroup(raw: RawInventory, name: Located<string>): RawGroup {
  let g = raw.groups.get(name.value);
  if (!g) {
    g = { name, hosts: [], children: [], vars: [] };
    raw.groups.set(name.value, g);
  }
  return g;
}

/** Adds a host to a group (or to none with `group` undefined); a host seen again gains the new vars. */
export function addHost(raw: RawInventory, name: Located<string>, vars: RawVar[], group?: RawGroup): void {
  const host = raw.hosts.get(name.value);
  if (host) host.vars.push(...vars);
  else raw.hosts.set(name.value, { name, vars: [...vars] });
  if (group && !group.hosts.some((h) => h.value === name.value)) group.hosts.push(name);
}

export function addChild(group: RawGroup, child: Located<string>): void {
  if (!group.children.some((c) => c.value === child.value)) group.children.push(child);
}
