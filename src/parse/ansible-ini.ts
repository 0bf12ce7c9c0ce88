import type { Diagnostic } from '../model/diagnostic.js';
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

/** One word of a line with its 0-based [start, end) columns; quotes are removed from `text`. */
interface Token {
  text: string;
  start: number;
  end: number;
}

/** `skip`: after a header that could not be read, its lines are ignored rather than misread. */
type Section = { kind: 'hosts' | 'vars' | 'children'; group: RawGroup } | { kind: 'ungrouped' | 'skip' };

const HEADER = /^\[([^\]\s]+)\]\s*(?:[#;].*)?$/;

/** Ansible's INI inventory: `[group]`, `[group:vars]`, `[group:children]`, host lines with `key=value`. */
export function readAnsibleIni(text: string, file: string, diagnostics: Diagnostic[]): RawInventory {
  const raw = emptyRaw(file);
  let section: Section = { kind: 'ungrouped' };
  text.split(/\r?\n/).forEach((line, i) => {
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
    const header = HEADER.exec(trimmed);
    if (header) {
      section = sectionFor(raw, header[1]!, at(indent + 1, indent + 1 + header[1]!.length), diagnostics) ?? {
        kind: 'skip',
      };
      return;
    }
    const problem = (start: number, end: number, message: string, hint: string): void =>
      void diagnostics.push({ code: 'inventory', severity: 'error', message, span: at(start, end), hint });
    if (section.kind === 'skip') return;
    if (section.kind === 'vars') readVarLine(section.group, line, indent, at, problem);
    else if (section.kind === 'children') readChildLine(raw, section.group, line, at);
    else readHostLine(raw, section.kind === 'hosts' ? section.group : undefined, line, at, problem);
  });
  return raw;
}

type At = (start: number, end: number) => Span;
type Problem = (start: number, end: number, message: string, hint: string) => void;

function sectionFor(
  raw: RawInventory,
  title: string,
  span: Span,
  diagnostics: Diagnostic[],
): Section | undefined {
  const colon = title.indexOf(':');
  const name = colon < 0 ? title : title.slice(0, colon);
  const suffix = colon < 0 ? 'hosts' : title.slice(colon + 1);
  if (suffix !== 'hosts' && suffix !== 'vars' && suffix !== 'children') {
    diagnostics.push({
      code: 'inventory',
      severity: 'error',
      message: `unknown section kind ":${suffix}" in [${title}]`,
      span,
      hint: `write [${name}], [${name}:vars] or [${name}:children]`,
    });
    return undefined;
  }
  const group = ensureGroup(raw, { value: name, span: { ...span, endCol: span.col + name.length } });
  return { kind: suffix, group };
}

function readHostLine(
  raw: RawInventory,
  group: RawGroup | undefined,
  line: string,
  at: At,
  problem: Problem,
): void {
  const [first, ...rest] = tokenize(line);
  if (!first) return;
  const vars: RawVar[] = [];
  // `host:port`; colons inside `[a:b]` ranges do not count, and IPv6 (several colons) has no port.
  const hasPort = /^[^:]+:\d+$/.test(first.text.replace(/\[[^\]]*\]/g, ''));
  const pattern = hasPort ? first.text.slice(0, first.text.lastIndexOf(':')) : first.text;
  if (hasPort) {
    const portStart = first.start + pattern.length + 1;
    const span = at(portStart, first.end);
    vars.push({
      name: 'ansible_port',
      value: first.text.slice(pattern.length + 1),
      nameSpan: span,
      valueSpan: span,
    });
  }
  for (const t of rest) {
    const eq = t.text.indexOf('=');
    if (eq <= 0) {
      problem(
        t.start,
        t.end,
        `expected key=value after host "${pattern}", got "${t.text}"`,
        'write variables as name=value, quoting values with spaces',
      );
      continue;
    }
    const nameSpan = at(t.start, t.start + eq);
    vars.push({
      name: t.text.slice(0, eq),
      value: t.text.slice(eq + 1),
      nameSpan,
      valueSpan: at(t.start + eq + 1, t.end),
    });
  }
  const expanded = expandHostPattern(pattern);
  if (expanded.kind === 'error') return problem(first.start, first.end, expanded.message, expanded.hint);
  const span = at(first.start, first.start + pattern.length);
  for (const name of expanded.names) addHost(raw, { value: name, span }, vars, group);
}

function readVarLine(group: RawGroup, line: string, indent: number, at: At, problem: Problem): void {
  const eq = line.indexOf('=');
  const end = line.trimEnd().length;
  if (eq < 0) {
    problem(
      indent,
      end,
      `expected name=value in [${group.name.value}:vars]`,
      'write one variable per line as name=value',
    );
    return;
  }
  const name = line.slice(indent, eq).trim();
  const valueStart = eq + 1 + (line.slice(eq + 1).length - line.slice(eq + 1).trimStart().length);
  if (name === '') return problem(indent, end, 'a variable line with no name', 'write name=value');
  const value = unquote(line.slice(valueStart, end));
  group.vars.push({
    name,
    value,
    nameSpan: at(indent, indent + name.length),
    valueSpan: at(valueStart, Math.max(end, valueStart)),
  });
}

function readChildLine(raw: RawInventory, group: RawGroup, line: string, at: At): void {
  const [first] = tokenize(line);
  if (!first) return;
  const child = { value: first.text, span: at(first.start, first.end) };
  ensureGroup(raw, child);
  addChild(group, child);
}

function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return m ? m[2]! : text;
}

/** Splits like Python's shlex with comments: whitespace separates, quotes group, `#` at a word start ends the line. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i += 1;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === '"' || c === "'") {
        const close = line.indexOf(c, i + 1);
        const stop = close < 0 ? line.length : close;
        text += line.slice(i + 1, stop);
        i = stop + 1;
      } else {
        text += c;
        i += 1;
      }
    }
    out.push({ text, start, end: Math.min(i, line.length) });
  }
  return out;
}
