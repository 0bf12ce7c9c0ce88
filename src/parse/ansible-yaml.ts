import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../model/span.js';
import {
  addChild,
  addHost,
  emptyRaw,
  ensureGroup,
  type RawGroup,
  type RawInventory,
  type RawVar,
} from './ansible-model.js';
import { expandHostPattern } from './ansible-ranges.js';
import { report, spanOf, type ParseContext } from './context.js';
import { asMap, describe, entries, isNull, knownEntries, type Entry } from './nodes.js';
import { scalarText } from './scalars.js';

const GROUP_KEYS = ['hosts', 'children', 'vars'] as const;
/** Deeper `children:` nesting than this is refused rather than walked. */
const MAX_GROUP_DEPTH = 64;

/** Ansible's YAML shape: no top-level `hosts:`/`groups:`, and `all:` or a group mapping with hosts/children/vars. */
export function isAnsibleYamlShape(ctx: ParseContext, root: YAMLMap): boolean {
  const list = entries({ ...ctx, diagnostics: [] }, root);
  if (list.some((e) => e.key === 'hosts' || e.key === 'groups')) return false;
  return list.some(
    (e) =>
      e.key === 'all' ||
      e.key === 'ungrouped' ||
      (isMap(e.value) &&
        entries({ ...ctx, diagnostics: [] }, e.value).some((g) =>
          (GROUP_KEYS as readonly string[]).includes(g.key),
        )),
  );
}

/** `all: { hosts: {...}, vars: {...}, children: { web: { hosts: {...} } } }` and other top-level groups. */
export function readAnsibleYaml(ctx: ParseContext, root: YAMLMap): RawInventory {
  const raw = emptyRaw(ctx.file);
  for (const e of entries(ctx, root)) readGroup(ctx, raw, e, undefined, 0);
  return raw;
}

function readGroup(
  ctx: ParseContext,
  raw: RawInventory,
  e: Entry,
  parent: RawGroup | undefined,
  depth: number,
): void {
  const name = { value: e.key, span: e.keySpan };
  const group = ensureGroup(raw, name);
  if (parent) addChild(parent, name);
  if (isNull(e.value)) return;
  if (depth >= MAX_GROUP_DEPTH) {
    report(
      ctx,
      'inventory',
      e.keySpan,
      `groups nest more than ${MAX_GROUP_DEPTH} levels deep`,
      'flatten the children: tree',
    );
    return;
  }
  const fields = asMap(ctx, e.value, e.keySpan, `group "${e.key}"`);
  for (const f of knownEntries(ctx, fields ?? [], GROUP_KEYS, `group "${e.key}"`)) {
    if (f.key === 'vars') group.vars.push(...readVars(ctx, f.value, f.keySpan, `vars of group "${e.key}"`));
    else if (f.key === 'hosts') readHosts(ctx, raw, group, f);
    else if (!isNull(f.value))
      for (const child of asMap(ctx, f.value, f.keySpan, `children of group "${e.key}"`) ?? [])
        readGroup(ctx, raw, child, group, depth + 1);
  }
}

function readHosts(ctx: ParseContext, raw: RawInventory, group: RawGroup, f: Entry): void {
  if (isNull(f.value)) return;
  for (const h of asMap(ctx, f.value, f.keySpan, `hosts of group "${group.name.value}"`) ?? []) {
    const vars = isNull(h.value) ? [] : readVars(ctx, h.value, h.keySpan, `host "${h.key}"`);
    const expanded = expandHostPattern(h.key);
    if (expanded.kind === 'error') {
      report(ctx, 'inventory', h.keySpan, expanded.message, expanded.hint);
      continue;
    }
    for (const name of expanded.names) addHost(raw, { value: name, span: h.keySpan }, vars, group);
  }
}

/** Scalar vars as text; lists and mappings cannot be tasker host vars and are skipped with a warning. */
function readVars(ctx: ParseContext, node: Node | undefined, at: Span, what: string): RawVar[] {
  const out: RawVar[] = [];
  for (const v of asMap(ctx, node, at, what) ?? []) {
    const valueSpan = v.value?.range ? spanOf(ctx, v.value) : v.keySpan;
    if (isNull(v.value)) out.push({ name: v.key, value: '', nameSpan: v.keySpan, valueSpan });
    else if (isScalar(v.value))
      out.push({ name: v.key, value: scalarText(v.value), nameSpan: v.keySpan, valueSpan });
    else
      report(
        ctx,
        'inventory',
        v.keySpan,
        `${what}: "${v.key}" is ${describe(v.value)}; tasker host vars are strings, so it is ignored`,
        'write the value as a string (e.g. JSON text) if a step needs it',
        'warning',
      );
  }
  return out;
}
