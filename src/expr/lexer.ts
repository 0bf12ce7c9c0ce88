/** Tokens of the expression language, with [start, end) offsets into the source. */

export type Op =
  | '!'
  | '&&'
  | '||'
  | '??'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '~'
  | '!~'
  | '('
  | ')'
  | '['
  | ']'
  | '.'
  | ',';

export type Token =
  | { kind: 'ident'; text: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'regex'; pattern: string; flags: string; start: number; end: number }
  | { kind: 'op'; op: Op; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

interface LexError {
  message: string;
  hint?: string;
  start: number;
  end: number;
}

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; error: LexError };

// Longest first, so `<=` wins over `<` and `!~` over `!`.
const OPS: readonly Op[] = [
  '&&',
  '||',
  '??',
  '==',
  '!=',
  '<=',
  '>=',
  '!~',
  '!',
  '<',
  '>',
  '~',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
];

const LONE_OPS: Readonly<Record<string, { message: string; hint: string }>> = {
  '=': { message: 'unexpected `=`', hint: 'compare with `==`' },
  '&': { message: 'unexpected `&`', hint: 'use `&&` for "and"' },
  '|': { message: 'unexpected `|`', hint: 'use `||` for "or"' },
  '?': { message: 'unexpected `?`', hint: 'use `??` for a fallback value' },
  '-': {
    message: 'unexpected `-`',
    hint: 'expressions have no arithmetic; `-` only starts a negative number',
  },
};

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Splits the whole source into tokens; stops at the first malformed token. */
export function lex(source: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const read = readToken(source, i);
    if ('message' in read) return { ok: false, error: read };
    tokens.push(read);
    i = read.end;
  }
  tokens.push({ kind: 'eof', start: source.length, end: source.length });
  return { ok: true, tokens };
}

function readToken(s: string, i: number): Token | LexError {
  const c = s[i];
  if (isIdentStart(c)) return readIdent(s, i);
  if (isDigit(c) || (c === '-' && isDigit(s[i + 1]))) return readNumber(s, i);
  if (c === "'" || c === '"') return readString(s, i);
  if (c === '/') return readRegex(s, i);
  const op = OPS.find((o) => s.startsWith(o, i));
  if (op !== undefined) return { kind: 'op', op, start: i, end: i + op.length };
  const lone = c === undefined ? undefined : LONE_OPS[c];
  if (lone) return { ...lone, start: i, end: i + 1 };
  const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
  return { message: `unexpected character \`${ch}\``, start: i, end: i + ch.length };
}

// `-` belongs to an identifier only between identifier characters (`warm-a`), as in GitHub Actions.
function readIdent(s: string, start: number): Token {
  let i = start + 1;
  while (isIdentChar(s[i]) || (s[i] === '-' && isIdentChar(s[i + 1]))) i++;
  return { kind: 'ident', text: s.slice(start, i), start, end: i };
}

function readNumber(s: string, start: number): Token | LexError {
  const re = /-?\d+(\.\d+)?/y;
  re.lastIndex = start;
  const end = start + (re.exec(s)?.[0].length ?? 1);
  if (isIdentChar(s[end]) || s[end] === '.') {
    let stop = end;
    while (isIdentChar(s[stop]) || s[stop] === '.' || s[stop] === '-') stop++;
    const text = s.slice(start, stop);
    return { message: `\`${text}\` is not a number`, hint: `quote text: '${text}'`, start, end: stop };
  }
  return { kind: 'number', value: Number(s.slice(start, end)), start, end };
}

// Unknown escapes keep their backslash, so `'C:\dir'` means what it says.
function readString(s: string, start: number): Token | LexError {
  const quote = s[start];
  let value = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i] ?? '';
    if (c === quote) return { kind: 'string', value, start, end: i + 1 };
    if (c === '\\' && i + 1 < s.length) {
      const next = s[i + 1] ?? '';
      value += STRING_ESCAPES[next] ?? `\\${next}`;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { message: 'unterminated string', hint: `close it with ${quote}`, start, end: s.length };
}

/** Index just past the closing `/` of a regex starting at `start`, or -1; `\/` and `[/]` do not close it. */
export function scanRegexEnd(s: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return -1;
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
  }
  return -1;
}

function readRegex(s: string, start: number): Token | LexError {
  const close = scanRegexEnd(s, start);
  if (close < 0) {
    const lineEnd = s.indexOf('\n', start);
    const end = lineEnd < 0 ? s.length : lineEnd;
    return {
      message: 'unterminated regex',
      hint: 'close it with `/` (write `\\/` for a literal slash)',
      start,
      end,
    };
  }
  let end = close;
  while (end < s.length && /[a-z]/.test(s[end] ?? '')) end++;
  return { kind: 'regex', pattern: s.slice(start + 1, close - 1), flags: s.slice(close, end), start, end };
}

/** A token as diagnostics name it: `` `&&` ``, `` `name` ``, `number 3`, `end of expression`. */
export function showToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of expression';
    case 'op':
      return `\`${t.op}\``;
    case 'ident':
      return `\`${t.text}\``;
    case 'number':
      return `number ${t.value}`;
    case 'string':
      return 'string';
    case 'regex':
      return 'regex';
  }
}
