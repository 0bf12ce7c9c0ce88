import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/expr/index.js';
import { compileRegex } from '../../../src/expr/regex.js';
import { context, diagnosticsOf, parse, view } from './helpers.js';

const matches = (pattern: string, flags: string, text: string): boolean => {
  const re = compileRegex(pattern, flags);
  if (!re.ok) throw new Error(re.reason);
  return re.test(text);
};

describe('regexes: RE2 semantics with the JavaScript spellings the docs promise', () => {
  it.each([
    ['ready|ok', '', 'all ok', true],
    ['READY', 'i', 'ready', true],
    ['^ready$', '', 'x\nready', false],
    ['^ready$', 'm', 'x\nready', true],
    ['a.b', '', 'a\nb', false],
    ['a.b', 's', 'a\nb', true],
    ['\\d+\\.\\d+', '', 'v1.25', true],
    ['\\u0041', 'u', 'A', true],
    ['(?<major>\\d+)\\.', '', '12.3', true],
    ['a\\/b', '', 'a/b', true],
    ['[/]x', '', '/x', true],
    ['\\bok\\b', '', 'is ok.', true],
    ['[[:digit:]]{3}', '', 'abc123', true],
    ['\\p{Greek}', '', 'λ', true],
  ])('/%s/%s on %j → %s', (pattern, flags, text, hit) => {
    expect(matches(pattern, flags, text)).toBe(hit);
  });

  it.each([
    ['stdout ~ /(a)\\1/', /backreferences/],
    ['stdout ~ /(?<n>a)\\k<n>/', /backreferences/],
    ['stdout ~ /foo(?=bar)/', /lookahead and lookbehind/],
    ['stdout ~ /(?<!x)y/', /lookahead and lookbehind/],
    ['stdout ~ /a/g', /unknown or repeated flag `g`/],
    ['stdout ~ /a/ii', /repeated flag/],
  ])('%s is bad-regex at validate time, at the regex', (source, message) => {
    const [d, ...rest] = diagnosticsOf(source);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'bad-regex', severity: 'error', span: { line: 3, col: 10 } });
    expect(d?.message).toMatch(message);
    expect(d?.hint).toBeTruthy();
  });

  it('an escaped `\\(?=` is a literal, not a lookahead', () => {
    expect(diagnosticsOf('stdout ~ /\\(?=/')).toEqual([]);
    expect(matches('\\(?=', '', 'a=')).toBe(true);
  });

  it('catastrophic patterns take linear time: `^(a+)+$` and `(a|aa)*c` on 200,000 characters', () => {
    const line = `${'a'.repeat(200_000)}b`;
    const ctx = context({ current: view({ stdout: line }) });
    // A backtracking engine needs longer than the universe has left for this; the guard is the test timeout.
    expect(evaluate(parse('stdout ~ /^(a+)+$/'), ctx)).toMatchObject({ ok: true, value: false });
    expect(evaluate(parse('stdout ~ /(a|aa)*c/'), ctx)).toMatchObject({ ok: true, value: false });
    expect(evaluate(parse('stdout ~ /^(a+)+b$/'), ctx)).toMatchObject({ ok: true, value: true });
  });
});
