import type { AstGroup, AstHost } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Located, Span } from '../model/span.js';
import type { RawGroup, RawInventory, RawVar } from './ansible-model.js';
import { NAME } from './env.js';

export interface AnsibleInventory {
  hosts: AstHost[];
  groups: AstGroup[];
}

type Fields = Omit<AstHost, 'name' | 'span' | 'vars'>;
type FieldSetter = (out: Fields, v: Located<string>, problem: (m: string, h: string) => void) => void;

const setPort: FieldSetter = (out, v, problem) => {
  const n = Number(v.value);
  if (/^\d+$/.test(v.value) && n >= 1 && n <= 65535) out.port = { value: n, span: v.span };
  else problem(`port "${v.value}" is not a number from 1 to 65535`, 'write ansible_port=22');
};

/** `ansible_*` variables tasker understands; every other `ansible_*` is ignored (docs/inventory.md). */
const FIELDS: Readonly<Record<string, FieldSetter>> = {
  ansible_host: (out, v) => (out.address = v),
  ansible_ssh_host: (out, v) => (out.address = v),
  ansible_port: setPort,
  ansible_ssh_port: setPort,
  ansible_user: (out, v) => (out.user = v),
  ansible_ssh_user: (out, v) => (out.user = v),
  ansible_ssh_private_key_file: (out, v) => (out.key = v),
  ansible_private_key_file: (out, v) => (out.key = v),
  ansible_ssh_common_args: setProxyJump,
  ansible_ssh_extra_args: setProxyJump,
};

/** Only the ProxyJump part of extra ssh arguments maps to tasker (`-J bastion`, `-o ProxyJump=bastion`). */
function setProxyJump(out: Fields, v: Located<string>): void {
  const m = /(?:-J\s*|ProxyJump[= ]\s*)([^\s'"]+)/.exec(v.value);
  if (m) out.proxyJump = { value: m[1]!, span: v.span };
}

/** Connections tasker makes are SSH; these values mean something else and earn a warning. */
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

/** Applies group vars to hosts (all < parent < child < host, as Ansible does) and maps `ansible_*` to host fields. */
export function buildAnsibleInventory(raw: RawInventory, diagnostics: Diagnostic[]): AnsibleInventory {
  const depth = groupDepths(raw);
  const memberOf = directGroups(raw);
  const reported = new Set<RawVar>();
  const hosts = [...raw.hosts.values()].map((h) => {
    const groups = ancestors(raw, memberOf.get(h.name.value) ?? []);
    const ordered = [...groups].sort(
      (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || a.localeCompare(b),
    );
    const vars = new Map<string, RawVar>();
    for (const g of ['all', ...ordered.filter((x) => x !== 'all')])
      for (const v of raw.groups.get(g)?.vars ?? []) vars.set(v.name, v);
    for (const v of h.vars) vars.set(v.name, v);
    return toAstHost(h.name, [...vars.values()], reported, diagnostics);
  });
  return { hosts, groups: toAstGroups(raw, memberOf) };
}

function toAstHost(
  name: Located<string>,
  vars: RawVar[],
  reported: Set<RawVar>,
  diagnostics: Diagnostic[],
): AstHost {
  const out: AstHost = { name, vars: [], span: name.span };
  const once = (
    v: RawVar,
    severity: 'error' | 'warning',
    message: string,
    hint: string,
    span = v.valueSpan,
  ): void => {
    if (reported.has(v)) return;
    reported.add(v);
    diagnostics.push({ code: 'inventory', severity, message, span, hint });
  };
  for (const v of vars) {
    const setter = FIELDS[v.name];
    const located = { value: v.value, span: v.valueSpan };
    if (setter) setter(out, located, (m, h) => once(v, 'error', `${v.name}: ${m}`, h));
    else if (v.name === 'ansible_connection' && !SSH_CONNECTIONS.has(v.value))
      once(
        v,
        'warning',
        `ansible_connection=${v.value} is ignored: tasker connects to "${name.value}" over SSH`,
        'use `host: local` in the workflow for steps on this machine',
      );
    else if (v.name.startsWith('ansible_')) continue;
    else if (!NAME.test(v.name))
      once(
        v,
        'warning',
        `variable "${v.name}" is not a valid tasker name and is ignored`,
        'use letters, digits and _, not starting with a digit',
        v.nameSpan,
      );
    else
      out.vars.push({
        name: { value: v.name, span: v.nameSpan },
        value: { parts: [{ kind: 'text', text: v.value, span: v.valueSpan }], span: v.valueSpan },
      });
  }
  return out;
}

/** Groups each host is listed in directly; hosts in none are `ungrouped`, as in Ansible. */
function directGroups(raw: RawInventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of raw.groups.values())
    for (const h of g.hosts) out.set(h.value, [...(out.get(h.value) ?? []), g.name.value]);
  return out;
}

/** The given groups plus every group that has one of them as a child, transitively. */
function ancestors(raw: RawInventory, direct: readonly string[]): Set<string> {
  const parents = new Map<string, string[]>();
  for (const g of raw.groups.values())
    for (const c of g.children) parents.set(c.value, [...(parents.get(c.value) ?? []), g.name.value]);
  const seen = new Set<string>();
  const stack = [...direct];
  for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
    if (seen.has(g)) continue;
    seen.add(g);
    stack.push(...(parents.get(g) ?? []));
  }
  return seen;
}

/** Depth below `all` (all = 0, top-level groups = 1, a child one more than its deepest parent); cycle-safe. */
function groupDepths(raw: RawInventory): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (g: RawGroup, d: number, path: Set<string>): void => {
    if (path.has(g.name.value) || (depth.get(g.name.value) ?? -1) >= d) return;
    depth.set(g.name.value, d);
    path.add(g.name.value);
    for (const c of g.children) {
      const child = raw.groups.get(c.value);
      if (child) visit(child, d + 1, path);
    }
    path.delete(g.name.value);
  };
  for (const g of raw.groups.values()) visit(g, g.name.value === 'all' ? 0 : 1, new Set());
  return depth;
}

/** Every group as written, plus `all` (every host) and `ungrouped` (hosts in no other group). */
function toAstGroups(raw: RawInventory, memberOf: Map<string, string[]>): AstGroup[] {
  const start: Span = { file: raw.file, line: 1, col: 1, endLine: 1, endCol: 1 };
  const groups: AstGroup[] = [];
  for (const g of raw.groups.values()) {
    if (g.name.value === 'all' || g.name.value === 'ungrouped') continue;
    groups.push({ name: g.name, members: [...g.hosts, ...g.children], span: g.name.span });
  }
  const hostNames = [...raw.hosts.values()].map((h) => h.name);
  const lonely = hostNames.filter((h) =>
    (memberOf.get(h.value) ?? []).every((g) => g === 'all' || g === 'ungrouped'),
  );
  const named = (n: string): Located<string> => raw.groups.get(n)?.name ?? { value: n, span: start };
  if (lonely.length > 0)
    groups.push({ name: named('ungrouped'), members: lonely, span: named('ungrouped').span });
  if (hostNames.length > 0) groups.push({ name: named('all'), members: hostNames, span: named('all').span });
  return groups;
}
