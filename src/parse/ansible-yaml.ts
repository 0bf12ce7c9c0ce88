import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../model/span.js';
import { splitHostPort } from './ansible-address.js';
import {
  addChild,
  addHost,
  emptyRaw,
  ensureGroup,
  type RawGroup,
  type RawInventory,
  type RawValue,
  type RawVar,
} from './ansible-model.js';
import { expandHostPattern } from './ansible-ranges.js';
import { report, spanOf, type ParseContext } from './context.js';
import { describe, entries, isNull, resolve, type Entry } from './nodes.js';
import { scalarText } from './scalars.js';

/** Deeper `children:` nesting than this is refused rather than walked. */
const MAX_GROUP_DEPTH = 64;

/** tasker's own shape has a top-level `hosts:` or `groups:`; any other mapping is Ansible's (groups at the top). */
export function isAnsibleYamlShape(ctx: ParseContext, root: YAMLMap): boolean {
  const list = entries({ ...ctx, diagnostics: [] }, root);
  return !list.some((e) => e.key === 'hosts' || e.key === 'groups');
}

/** Ansible's YAML inventory (plugins/inventory/yaml.py): top-level keys are groups, usually just `all`. */
export function readAnsibleYaml(ctx: ParseContext, root: YAMLMap, raw = emptyRaw(ctx.file)): RawInventory {
  const top = mapEntries(ctx, root);
  if (top.some((e) => e.key === 'plugin'))
    report(
      ctx,
      'inventory',
      top.find((e) => e.key === 'plugin')!.keySpan,
      'this is an inventory plugin configuration, which tasker does not run: its hosts are missing',
      'export the hosts with `ansible-inventory -i FILE --list -y > hosts.yml` and point `inventory:` at that',
      'warning',
    );
  else for (const e of top) readGroup(ctx, raw, e, undefined, 0);
  return raw;
}

/**
 * A mapping's entries with YAML merge keys applied as PyYAML does (`<<: *common` or a list of them;
 * explicit keys win, earlier merged maps win over later ones), and a repeated key taking the last
 * value with a warning, as Ansible does.
 */
export function mapEntries(ctx: ParseContext, map: YAMLMap, depth = 0): Entry[] {
  const merged = new Map<string, Entry>();
  const explicit = new Map<string, Entry>();
  for (const e of entries(ctx, map)) {
    if (e.key === '<<' && depth < 16 && (isMap(e.value) || isSeq(e.value))) {
      const sources = isMap(e.value) ? [e.value] : e.value.items.map((n) => resolve(ctx, n)).reverse();
      for (const src of sources)
        if (isMap(src)) for (const m of mapEntries(ctx, src, depth + 1)) merged.set(m.key, m);
      continue;
    }
    if (explicit.has(e.key))
      report(
        ctx,
        'inventory',
        e.keySpan,
        `"${e.key}" appears twice in this mapping; the last value is used, as Ansible does`,
        'remove one of the two',
        'warning',
      );
    explicit.set(e.key, e);
  }
  for (const [k, e] of explicit) merged.set(k, e);
  return [...merged.values()];
}

function readGroup(
  ctx: ParseContext,
  raw: RawInventory,
  e: Entry,
  parent: RawGroup | undefined,
  depth: number,
): void {
  if (!isNull(e.value) && !isMap(e.value)) {
    if (parent)
      report(
        ctx,
        'inventory',
        e.keySpan,
        `child group "${e.key}" of "${parent.name.value}" is ${describe(e.value)}; Ansible refuses this file`,
        'write the group as a mapping with hosts, children or vars, or leave it empty',
      );
    else
      warn(ctx, e.keySpan, `"${e.key}" is ${describe(e.value)}, not a group; it is skipped, as Ansible does`);
    return;
  }
  const name = { value: e.key, span: e.keySpan };
  const group = ensureGroup(raw, name);
  if (parent) addChild(parent, name);
  if (!isMap(e.value)) return;
  if (depth >= MAX_GROUP_DEPTH)
    return report(
      ctx,
      'inventory',
      e.keySpan,
      `groups nest more than ${MAX_GROUP_DEPTH} levels deep`,
      'flatten the children: tree',
    );
  for (const f of mapEntries(ctx, e.value)) {
    const known = f.key === 'vars' || f.key === 'hosts' || f.key === 'children';
    if (known && isScalar(f.value) && typeof f.value.value === 'string') {
      // Ansible reads `hosts: web1` as `hosts: { web1: }`.
      const one: Entry = { ...f, key: f.value.value, keySpan: spanOf(ctx, f.value), value: undefined };
      section(ctx, raw, group, f.key, [one], depth);
    } else if (isNull(f.value)) continue;
    else if (!isMap(f.value)) {
      if (known)
        report(
          ctx,
          'inventory',
          f.keySpan,
          `"${f.key}" of group "${e.key}" is ${describe(f.value)}; Ansible refuses this file`,
          `write ${f.key}: as a mapping`,
        );
      else
        warn(
          ctx,
          f.keySpan,
          `key "${f.key}" in group "${e.key}" is ${describe(f.value)} and is skipped, as Ansible does`,
        );
    } else if (known) section(ctx, raw, group, f.key, mapEntries(ctx, f.value), depth);
    else
      warn(
        ctx,
        f.keySpan,
        `unexpected key "${f.key}" in group "${e.key}" is skipped, as Ansible does (only vars, children and hosts are read)`,
      );
  }
}

function section(
  ctx: ParseContext,
  raw: RawInventory,
  group: RawGroup,
  key: string,
  list: Entry[],
  depth: number,
): void {
  if (key === 'vars') group.vars.push(...list.map((v) => rawVar(ctx, v)));
  else if (key === 'children') for (const c of list) readGroup(ctx, raw, c, group, depth + 1);
  else for (const h of list) readHost(ctx, raw, group, h);
}

function readHost(ctx: ParseContext, raw: RawInventory, group: RawGroup, h: Entry): void {
  if (!isNull(h.value) && !isMap(h.value))
    return report(
      ctx,
      'inventory',
      h.keySpan,
      `host "${h.key}" has ${describe(h.value)}; Ansible refuses this file`,
      'write the host as a mapping of variables, or leave it empty',
    );
  const vars = isMap(h.value) ? mapEntries(ctx, h.value).map((v) => rawVar(ctx, v)) : [];
  const { host: pattern, port } = splitHostPort(h.key);
  const portVar: RawVar | undefined =
    port === undefined
      ? undefined
      : {
          name: 'ansible_port',
          value: { kind: 'scalar', text: String(port), type: 'int' },
          nameSpan: h.keySpan,
          valueSpan: h.keySpan,
        };
  const expanded = expandHostPattern(pattern);
  if (expanded.kind === 'error') return report(ctx, 'inventory', h.keySpan, expanded.message, expanded.hint);
  if (expanded.warning) warn(ctx, h.keySpan, expanded.warning.message);
  for (const name of expanded.names) addHost(raw, { value: name, span: h.keySpan }, vars, group, portVar);
}

export function rawVar(ctx: ParseContext, v: Entry): RawVar {
  const valueSpan = v.value?.range ? spanOf(ctx, v.value) : v.keySpan;
  return { name: v.key, value: yamlValue(v.value), nameSpan: v.keySpan, valueSpan };
}

function yamlValue(node: Node | undefined): RawValue {
  if (isNull(node)) return { kind: 'null' };
  if (!isScalar(node)) return { kind: 'structured', what: describe(node) };
  if (node.tag === '!vault') return { kind: 'structured', what: 'an ansible-vault encrypted value' };
  if (node.tag === '!unsafe') return { kind: 'scalar', text: scalarText(node), type: 'str', literal: true };
  const v = node.value;
  const type =
    typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'str';
  return { kind: 'scalar', text: scalarText(node), type };
}

function warn(ctx: ParseContext, span: Span, message: string): void {
  report(ctx, 'inventory', span, message, 'fix or remove it if it was meant to be read', 'warning');
}
