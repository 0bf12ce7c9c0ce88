import { describe, expect, it } from 'vitest';
import { lex, type Token } from '../../../src/expr/lexer.js';

function tokens(source: string): Token[] {
  const r = lex(source);
  if (!r.ok) throw new Error(r.error.message);
  return r.tokens;
}

function lexError(source: string): { start: number; end: number } {
  const r = lex(source);
  if (r.ok) throw new Error(`expected a lex error for ${source}`);
  return { start: r.error.start, end: r.error.end };
}

describe('lexer', () => {
  it('reads identifiers with inner dashes and records offsets', () => {
    expect(tokens('steps.warm-a.exit')).toEqual([
      { kind: 'ident', text: 'steps', start: 0, end: 5 },
      { kind: 'op', op: '.', start: 5, end: 6 },
      { kind: 'ident', text: 'warm-a', start: 6, end: 12 },
      { kind: 'op', op: '.', start: 12, end: 13 },
      { kind: 'ident', text: 'exit', start: 13, end: 17 },
      { kind: 'eof', start: 17, end: 17 },
    ]);
  });

  it('does not take a trailing dash into an identifier', () => {
    expect(lexError('a- b')).toEqual({ start: 1, end: 2 });
  });

  it('reads ints, floats and negative numbers', () => {
    const values = tokens('1 2.5 -1 -0.25').flatMap((t) => (t.kind === 'number' ? [t.value] : []));
    expect(values).toEqual([1, 2.5, -1, -0.25]);
  });

  it('refuses a version-like number and spans all of it', () => {
    expect(lexError('x == 1.2.3')).toEqual({ start: 5, end: 10 });
  });

  it('reads both quote styles with escapes', () => {
    const strs = tokens(`'it\\'s' "a\\"b\\n" 'C:\\dir'`).flatMap((t) =>
      t.kind === 'string' ? [t.value] : [],
    );
    expect(strs).toEqual(["it's", 'a"b\n', 'C:\\dir']);
  });

  it('reports an unterminated string from its opening quote', () => {
    expect(lexError('x == "abc')).toEqual({ start: 5, end: 9 });
  });

  it('reads regex literals with flags, escaped slashes and classes', () => {
    const [re] = tokens(String.raw`/a\/b[/]c/im`);
    expect(re).toEqual({ kind: 'regex', pattern: String.raw`a\/b[/]c`, flags: 'im', start: 0, end: 12 });
  });

  it('reports an unterminated regex', () => {
    expect(lexError('stdout ~ /abc')).toEqual({ start: 9, end: 13 });
  });

  it('reads every operator, longest first', () => {
    const ops = tokens('! && || ?? == != < <= > >= ~ !~ ( ) [ ] . ,').flatMap((t) =>
      t.kind === 'op' ? [t.op] : [],
    );
    expect(ops).toEqual([
      '!',
      '&&',
      '||',
      '??',
      '==',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      '~',
      '!~',
      '(',
      ')',
      '[',
      ']',
      '.',
      ',',
    ]);
  });

  it.each([['='], ['&'], ['|'], ['?'], ['#'], ['{']])('refuses a lone %s', (op) => {
    expect(lexError(`a ${op} b`)).toEqual({ start: 2, end: 3 });
  });
});
