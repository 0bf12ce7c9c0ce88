import type { AstGroup, AstHost, Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Template } from '../model/expr.js';
import type { SshTarget, Target } from '../model/plan.js';
import type { Located, Span } from '../model/span.js';
import { keyFromWorkflow } from '../model/paths.js';
import { planError } from './diagnostics.js';
import { didYouMean } from '../expr/index.js';

/** Declared hosts and groups, for resolving `host:`, `hosts:` and `--limit`. */
export interface HostCatalog {
  /** In declaration order. */
  hosts: ReadonlyMap<string, SshTarget>;
  groups: ReadonlyMap<string, AstGroup>;
  /** Hosts a step cannot run on (an inventory value tasker cannot use): the error for a step that targets one. */
  unusable: ReadonlyMap<string, Diagnostic>;
}

/** Builds the catalog; group members that name nothing are reported once, where the group lists them. */
export function buildCatalog(
  workflow: Workflow,
  connectTimeoutMs?: number,
): { catalog: HostCatalog; diagnostics: Diagnostic[] } {
  const hosts = new Map<string, SshTarget>();
  for (const host of workflow.hosts)
    hosts.set(host.name.value, sshTarget(host, workflow.file, connectTimeoutMs));
  const groups = new Map<string, AstGroup>();
  for (const group of workflow.groups) if (!groups.has(group.name.value)) groups.set(group.name.value, group);
  const unusable = new Map<string, Diagnostic>();
  for (const host of workflow.hosts)
    if (host.unusable && !unusable.has(host.name.value))
      unusable.set(
        host.name.value,
        planError('inventory', host.unusable.message, host.unusable.span, host.unusable.hint),
      );
  const catalog = { hosts, groups, unusable };
  const diagnostics: Diagnostic[] = [];
  for (const group of workflow.groups) {
    for (const member of group.members) {
      if (isPattern(member.value) || hosts.has(member.value) || groups.has(member.value)) continue;
      diagnostics.push(
        planError(
          'unknown-group',
          `group "${group.name.value}" lists "${member.value}", which is neither a declared host nor a group`,
          member.span,
          didYouMean(member.value, names(catalog), 'declare it under `hosts:` or `groups:`'),
        ),
      );
    }
  }
  return { catalog, diagnostics };
}

function sshTarget(host: AstHost, workflowFile: string, connectTimeoutMs?: number): SshTarget {
  const vars: Record<string, Template> = {};
  for (const v of host.vars) vars[v.name.value] = v.value;
  const target: SshTarget = { kind: 'ssh', name: host.name.value, vars };
  if (host.address) target.address = host.address.value;
  if (host.sshHost) target.sshHost = host.sshHost.value;
  if (host.hostKeyPolicy) target.hostKeyPolicy = host.hostKeyPolicy.value;
  if (host.port) target.port = host.port.value;
  if (host.user) target.user = host.user.value;
  if (host.key) target.keyFile = keyFromWorkflow(workflowFile, host.key.value);
  if (host.proxyJump) target.proxyJump = host.proxyJump.value;
  if (host.fingerprint) target.fingerprint = host.fingerprint.value;
  if (connectTimeoutMs !== undefined) target.connectTimeoutMs = connectTimeoutMs;
  return target;
}

function names(catalog: HostCatalog): string[] {
  return [...catalog.hosts.keys(), ...catalog.groups.keys()];
}

function isPattern(item: string): boolean {
  return item.includes('*') || item.includes('?');
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Host names an item stands for: a host, a group (recursively, cycle-safe) or a glob; undefined when it names nothing. */
function expandItem(
  catalog: HostCatalog,
  item: string,
  seenGroups: Set<string> = new Set(),
): string[] | undefined {
  if (isPattern(item)) {
    const re = globToRegExp(item);
    const matched = [...catalog.hosts.keys()].filter((name) => re.test(name));
    return matched.length > 0 ? matched : undefined;
  }
  if (catalog.hosts.has(item)) return [item];
  const group = catalog.groups.get(item);
  if (!group) return undefined;
  if (seenGroups.has(item)) return [];
  seenGroups.add(item);
  return group.members.flatMap((m) => expandItem(catalog, m.value, seenGroups) ?? []);
}

function unknownItem(catalog: HostCatalog, item: string, span: Span, where: string): Diagnostic {
  if (isPattern(item)) {
    return planError(
      'unknown-host',
      `${where}: pattern "${item}" matches no declared host`,
      span,
      'declare the hosts under `hosts:` or fix the pattern',
    );
  }
  if (item === 'local') {
    return planError(
      'unknown-host',
      `${where}: "local" is not an inventory host`,
      span,
      'use `host: local` to run a step on this machine',
    );
  }
  const hint = didYouMean(item, names(catalog), 'declare it under `hosts:` (`{}` is enough) or `groups:`');
  return planError('unknown-host', `${where}: no host or group named "${item}"`, span, hint);
}

/** Resolves a list of names, groups and globs to distinct host names in first-seen order. */
export function resolveItems(
  catalog: HostCatalog,
  items: readonly Located<string>[],
  where: string,
): { names: string[]; diagnostics: Diagnostic[] } {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const expanded = expandItem(catalog, item.value);
    if (expanded === undefined) diagnostics.push(unknownItem(catalog, item.value, item.span, where));
    else for (const name of expanded) found.add(name);
  }
  return { names: [...found], diagnostics };
}

/** `--limit web1,web*`: the allowed host names; errors point at the workflow start since the flag has no place in the file. */
export function resolveLimit(
  catalog: HostCatalog,
  limit: string | undefined,
  file: string,
): { allowed?: ReadonlySet<string>; diagnostics: Diagnostic[] } {
  if (limit === undefined) return { diagnostics: [] };
  const span: Span = { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  const items = limit
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((value) => ({ value, span }));
  const { names: allowed, diagnostics } = resolveItems(catalog, items, '--limit');
  return { allowed: new Set(allowed), diagnostics };
}

/** `host: NAME`: local, or a declared host. */
export function resolveHost(
  catalog: HostCatalog,
  host: Located<string>,
): { target?: Target; diagnostics: Diagnostic[] } {
  if (host.value === 'local') return { target: { kind: 'local' }, diagnostics: [] };
  const target = catalog.hosts.get(host.value);
  if (target) return { target, diagnostics: [] };
  const hint = catalog.groups.has(host.value)
    ? `"${host.value}" is a group: use \`hosts: ${host.value}\` to run on each of its hosts`
    : didYouMean(host.value, catalog.hosts.keys(), 'declare it under `hosts:` (`{}` is enough)');
  return { diagnostics: [planError('unknown-host', `host: no host named "${host.value}"`, host.span, hint)] };
}
