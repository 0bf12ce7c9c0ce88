import type { Located, Span } from '../model/span.js';

/**
 * A variable's value as Ansible holds it: text (with the type the source gave it, so `True` and
 * `true` print as the source wrote them), null (YAML `~` or an empty YAML value), or a list/mapping.
 */
export type RawValue =
  | {
      kind: 'scalar';
      text: string;
      type: 'str' | 'int' | 'float' | 'bool';
      /** `!unsafe`: never templated, `{{` included. */
      literal?: true;
    }
  | { kind: 'null' }
  | { kind: 'structured'; what: string };

/** What an Ansible inventory (INI or YAML) says before group vars are applied to hosts. */
export interface RawVar {
  name: string;
  value: RawValue;
  nameSpan: Span;
  valueSpan: Span;
}

interface RawHost {
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
  /** The inventory source: a file, or the directory its files were read from. */
  file: string;
  /** In first-seen order. */
  hosts: Map<string, RawHost>;
  /** In first-seen order; `all` and `ungrouped` always exist, as in Ansible. */
  groups: Map<string, RawGroup>;
}

export function emptyRaw(file: string): RawInventory {
  const raw: RawInventory = { file, hosts: new Map(), groups: new Map() };
  const start: Span = { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  ensureGroup(raw, { value: 'all', span: start });
  ensureGroup(raw, { value: 'ungrouped', span: start });
  return raw;
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

/**
 * Adds a host to a group; a host seen again gains the new vars. A `host:port` port becomes its
 * `ansible_port` only where the host is first created, as in Ansible's `Host(name, port)`.
 */
export function addHost(
  raw: RawInventory,
  name: Located<string>,
  vars: RawVar[],
  group: RawGroup,
  port?: RawVar,
): void {
  const host = raw.hosts.get(name.value);
  if (host) host.vars.push(...vars);
  else raw.hosts.set(name.value, { name, vars: port ? [port, ...vars] : [...vars] });
  if (!group.hosts.some((h) => h.value === name.value)) group.hosts.push(name);
}

export function addChild(group: RawGroup, child: Located<string>): void {
  if (!group.children.some((c) => c.value === child.value)) group.children.push(child);
}
