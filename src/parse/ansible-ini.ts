import type { Diagnostic } from '../model/diagnostic.js';
import type { Located, Span } from '../model/span.js';
import { splitHostPort } from './ansible-address.js';
import { iniValue } from './ansible-literal.js';
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
import { shlexWords } from './ansible-shlex.js';

/** `skip`: after a header that could not be read, its lines are ignored rather than misread. */
type Section = { kind: 'hosts' | 'vars' | 'children'; group: RawGroup } | { kind: 'skip' };

/** Ansible's section pattern: a name without `:`, `]` or spaces, an optional `:kind`, an optional `#` comment. */
const HEADER = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

/**
 * Ansible's INI inventory (plugins/inventory/ini.py): `[group]`, `[group:vars]`, `[group:children]`;
 * host lines split like Python's shlex with comments, values through Python's `literal_eval`.
 */
export function readAnsibleIni(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
  raw: RawInventory = emptyRaw(file),
): RawInventory {
  let section: Section = { kind: 'hosts', group: raw.groups.get('ungrouped')! };
  const declared = new Set(raw.groups.keys());
  const needed: { group: string; span: Span; message: string }[] = [];
  text.split(/\r?\n|\r/).forEach((line, i) => {
    const at = (start: number, end: number): Span => ({
      file,
      line: i + 1,
      col: start + 1,
      endLine: i + 1,
      endCol: end + 1,
    });
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indent = line.indexOf(trimmed);
    const problem: Problem = (start, end, message, hint, severity = 'error') =>
      void diagnostics.push({ code: 'inventory', severity, message, span: at(start, end), hint });
    const header = HEADER.exec(trimmed);
    if (header) {
      const span = at(indent + 1, indent + 1 + header[1]!.length);
      section = sectionFor(raw, header, span, problem, indent);
      if (section.kind === 'vars')
        needed.push({
          group: header[1]!,
          span,
          message: `[${header[1]!}:vars] is for a group this file never defines`,
        });
      else if (section.kind !== 'skip') declared.add(header[1]!);
      return;
    }
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      problem(
        indent,
        indent + trimmed.length,
        `invalid section header ${trimmed}`,
        'write [name] or [name:vars] with no spaces',
      );
      section = { kind: 'skip' };
      return;
    }
    if (section.kind === 'skip') return;
    if (section.kind === 'vars') readVarLine(section.group, line, indent, at, problem);
    else if (section.kind === 'children') {
      const child = readChildLine(raw, section.group, trimmed, indent, at, problem);
      if (child && !declared.has(child.value))
        needed.push({
          group: child.value,
          span: child.span,
          message: `[${section.group.name.value}:children] names "${child.value}", a group this file never defines`,
        });
    } else readHostLine(raw, section.group, line, at, problem);
  });
  for (const n of needed.filter((x) => !declared.has(x.group)))
    diagnostics.push({
      code: 'inventory',
      severity: 'error',
      message: `${n.message} (Ansible refuses this file)`,
      span: n.span,
      hint: `add a [${n.group}] section, even an empty one`,
    });
  return raw;
}

type At = (start: number, end: number) => Span;
type Problem = (
  start: number,
  end: number,
  message: string,
  hint: string,
  severity?: 'error' | 'warning',
) => void;

function sectionFor(
  raw: RawInventory,
  header: RegExpExecArray,
  span: Span,
  problem: Problem,
  indent: number,
): Section {
  const name = header[1]!;
  const kind = header[2] ?? 'hosts';
  if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
    problem(
      indent,
      indent + header[0].length,
      `unknown section kind ":${kind}" in [${name}:${kind}]`,
      `write [${name}], [${name}:vars] or [${name}:children]`,
    );
    return { kind: 'skip' };
  }
  return { kind, group: ensureGroup(raw, { value: name, span }) };
}

function readHostLine(raw: RawInventory, group: RawGroup, line: string, at: At, problem: Problem): void {
  const split = shlexWords(line, true);
  if (split.kind === 'error')
    return problem(split.at, line.length, `cannot split this host line: ${split.message}`, split.hint);
  const [first, ...rest] = split.words;
  if (!first) return;
  const vars: RawVar[] = [];
  for (const t of rest) {
    const eq = t.text.indexOf('=');
    if (eq < 0) {
      problem(
        t.start,
        t.end,
        `expected key=value after host "${first.text}", got "${t.text}"`,
        'write variables as name=value, quoting values with spaces',
      );
      continue;
    }
    vars.push({
      name: t.text.slice(0, eq),
      value: iniValue(t.text.slice(eq + 1)),
      nameSpan: at(t.start, t.start + eq),
      valueSpan: at(t.start + eq + 1, t.end),
    });
  }
  const { host: pattern, port } = splitHostPort(first.text);
  if (pattern.trim().endsWith(':') && port === undefined)
    return problem(
      first.start,
      first.end,
      `host "${first.text}" ends in ":"`,
      'write host:PORT, or drop the ":"',
    );
  const span = at(first.start, first.end);
  const portVar: RawVar | undefined =
    port === undefined
      ? undefined
      : {
          name: 'ansible_port',
          value: { kind: 'scalar', text: String(port), type: 'int' },
          nameSpan: span,
          valueSpan: span,
        };
  const expanded = expandHostPattern(pattern);
  if (expanded.kind === 'error') return problem(first.start, first.end, expanded.message, expanded.hint);
  if (expanded.warning)
    problem(first.start, first.end, expanded.warning.message, expanded.warning.hint, 'warning');
  for (const name of expanded.names) addHost(raw, { value: name, span }, vars, group, portVar);
}

/** `name = value`: split at the first `=`, both sides trimmed, the value read as a Python literal. */
function readVarLine(group: RawGroup, line: string, indent: number, at: At, problem: Problem): void {
  const eq = line.indexOf('=');
  const end = line.trimEnd().length;
  if (eq < 0)
    return problem(
      indent,
      end,
      `expected name=value in [${group.name.value}:vars]`,
      'write one variable per line as name=value',
    );
  const name = line.slice(indent, eq).trim();
  const after = line.slice(eq + 1);
  const valueStart = eq + 1 + (after.length - after.trimStart().length);
  if (name === '') return problem(indent, end, 'a variable line with no name', 'write name=value');
  group.vars.push({
    name,
    value: iniValue(line.slice(valueStart, end)),
    nameSpan: at(indent, indent + name.length),
    valueSpan: at(valueStart, Math.max(end, valueStart)),
  });
}

function readChildLine(
  raw: RawInventory,
  group: RawGroup,
  trimmed: string,
  indent: number,
  at: At,
  problem: Problem,
): Located<string> | undefined {
  const m = GROUP_LINE.exec(trimmed);
  if (!m) {
    problem(
      indent,
      indent + trimmed.length,
      `expected a group name in [${group.name.value}:children], got "${trimmed}"`,
      'write one child group name per line',
    );
    return undefined;
  }
  const child = { value: m[1]!, span: at(indent, indent + m[1]!.length) };
  ensureGroup(raw, child);
  addChild(group, child);
  return child;
}
