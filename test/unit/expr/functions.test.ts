import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../src/expr/index.js';
import { context, evalError, value } from './helpers.js';

const ctx = context({ vars: { list: ['a', '10', 'c'], n: 3, text: '  padded \n' } });

describe('functions', () => {
  it.each([
    ['contains("hello world", "o w")', true],
    ['contains("hello", "x")', false],
    ['contains(vars.list, "c")', true],
    ['contains(vars.list, 10)', true],
    ['contains(vars.list, "b")', false],
    ['contains(12345, 34)', true],
    ['lines("a\\nb\\n")', ['a', 'b']],
    ['lines("a\\r\\nb")', ['a', 'b']],
    ['lines("a\\n\\nb\\n\\n")', ['a', '', 'b', '']],
    ['lines("")', []],
    ['int("42")', 42],
    ['int(" 7\\n")', 7],
    ['int("3.9")', 3],
    ['int("-3.9")', -3],
    ['int(5)', 5],
    ['trim(vars.text)', 'padded'],
    ['split("a,b,,c", ",")', ['a', 'b', '', 'c']],
    ['split("", ",")', []],
    ['default(null, 1)', 1],
    ['default("", 1)', ''],
    ['len("héllo")', 5],
    ['len(vars.list)', 3],
    ['len("")', 0],
    ['raw("a b")', 'a b'],
    ['lower("MiXed")', 'mixed'],
    ['upper("MiXed")', 'MIXED'],
    ['starts_with("release-1", "release-")', true],
    ['starts_with("release-1", "1")', false],
    ['ends_with("file.tar.gz", ".gz")', true],
    ['ends_with("file.tar.gz", ".zip")', false],
    ['starts_with(vars.n, 3)', true],
    ['head("héllo", 2)', 'hé'],
    ['head("😀😀😀", 2)', '😀😀'],
    ['head("ab", 5)', 'ab'],
    ['head("ab", 0)', ''],
    ['trim_end("a\\n\\n\\n", "\\n")', 'a'],
    ['trim_end("a \\n", "\\n")', 'a '],
    ['trim_end(" a \\t\\n")', ' a'],
    ['trim_end("\\n\\n", "\\n")', ''],
    ['if(1 < 2, "yes", "no")', 'yes'],
    ['if("", "yes", "no")', 'no'],
  ])('%s → %j', (source, expected) => {
    expect(value(source, ctx)).toEqual(expected);
  });

  it.each([
    ['int("abc")'],
    ['int("")'],
    ['int(true)'],
    ['int(null)'],
    ['trim(vars.list)'],
    ['len(5)'],
    ['len(null)'],
    ['contains("abc", vars.list)'],
    ['head("abc", -1)'],
    ['head("abc", 1.5)'],
    ['head("abc", "x")'],
    ['head(vars.list, 1)'],
  ])('%s is an error at the call', (source) => {
    expect(evalError(source, ctx).span).toMatchObject({ col: 1, endCol: source.length + 1 });
  });

  it('has an arity entry for every function', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual(
      [
        'contains',
        'default',
        'ends_with',
        'head',
        'if',
        'int',
        'len',
        'lines',
        'lower',
        'raw',
        'split',
        'starts_with',
        'trim',
        'trim_end',
        'upper',
      ].sort(),
    );
  });
});
