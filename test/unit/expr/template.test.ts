import { describe, expect, it } from 'vitest';
import {
  collectRefs,
  isPlainTemplate,
  parseTemplate,
  renderTemplate,
  templateSource,
  templateValue,
  valueToString,
} from '../../../src/expr/index.js';
import { context, locate, parse, template } from './helpers.js';

describe('parseTemplate', () => {
  it('splits text and expression parts with spans', () => {
    const t = template('echo ${{ vars.a }} and ${{steps.b.stdout}}!');
    expect(t.parts.map((p) => p.kind)).toEqual(['text', 'expr', 'text', 'expr', 'text']);
    expect(t.parts[1]).toMatchObject({
      kind: 'expr',
      raw: false,
      span: { col: 6, endCol: 19 },
      expr: { kind: 'ref', span: { col: 10, endCol: 16 } },
    });
    expect(t.parts[3]).toMatchObject({ span: { col: 24, endCol: 43 } });
    expect(t.parts[4]).toMatchObject({ kind: 'text', text: '!' });
    expect(t.span).toMatchObject({ col: 1, endCol: 44 });
  });

  it('does not end an expression at `}}` inside a string or regex', () => {
    const t = template('a ${{ "}}" == vars.x }} b ${{ stdout ~ /x}}/ }} c');
    expect(t.parts.map((p) => p.kind)).toEqual(['text', 'expr', 'text', 'expr', 'text']);
    expect(t.parts[1]).toMatchObject({ expr: { kind: 'binary', left: { value: '}}' } } });
    expect(t.parts[3]).toMatchObject({ expr: { right: { kind: 'regex', pattern: 'x}}' } } });
  });

  it('leaves shell syntax alone', () => {
    const text = 'echo $VAR ${VAR} $(date) ${VAR:-x} `id` $$';
    expect(template(text).parts).toEqual([{ kind: 'text', text, span: locate(0, text.length) }]);
  });

  it('gives a plain or empty string one text part', () => {
    expect(template('').parts).toEqual([{ kind: 'text', text: '', span: locate(0, 0) }]);
    expect(isPlainTemplate(template('just text'))).toBe(true);
    expect(isPlainTemplate(template('${{ vars.x }}'))).toBe(false);
  });

  it('marks raw() parts', () => {
    expect(template('${{ raw(vars.cmd) }}').parts[0]).toMatchObject({ kind: 'expr', raw: true });
    expect(template('${{ trim(raw(vars.cmd)) }}').parts[0]).toMatchObject({ kind: 'expr', raw: false });
  });

  it('reports an unclosed ${{ at its position', () => {
    const r = parseTemplate('echo ok ${{ vars.x', locate);
    expect(r.template).toBeUndefined();
    expect(r.diagnostics).toMatchObject([{ code: 'expr-syntax', span: { col: 9, endCol: 12 } }]);
  });

  it('reports errors inside expressions at their column in the whole string', () => {
    const r = parseTemplate('echo ${{ vars.a }} ${{ contians(x, "y") }} ${{ exit == }}', locate);
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.span.col])).toEqual([
      ['unknown-function', 24],
      ['expr-syntax', 56],
    ]);
  });

  it('reports an empty expression', () => {
    expect(parseTemplate('a ${{ }} b', locate).diagnostics).toMatchObject([{ code: 'expr-syntax' }]);
  });
});

describe('templateSource', () => {
  it.each([
    ['plain', 'plain'],
    ['a ${{vars.x}} b', 'a ${{ vars.x }} b'],
    ['${{ raw( vars.cmd ) }}', '${{ raw(vars.cmd) }}'],
    ['x${{ "}}" }}y', "x${{ '}}' }}y"],
  ])('%s → %s', (text, expected) => {
    expect(templateSource(template(text))).toBe(expected);
    expect(templateSource(template(expected))).toBe(expected);
  });
});

describe('collectRefs', () => {
  it('finds every reference in expressions and templates', () => {
    const refs = collectRefs(
      parse('steps.a.exit == 0 && contains(vars.list, env.X) || lines(stdout)[vars.i] == "y"'),
    );
    expect(refs.map((r) => [r.root, ...r.path].join('.'))).toEqual([
      'steps.a.exit',
      'vars.list',
      'env.X',
      'stdout',
      'vars.i',
    ]);
    const fromTemplate = collectRefs(template('deploy ${{ vars.release }} to ${{ host.name }}'));
    expect(fromTemplate).toMatchObject([
      { root: 'vars', path: ['release'], span: { col: 12, endCol: 24 } },
      { root: 'host', path: ['name'] },
    ]);
    expect(collectRefs(template('none'))).toEqual([]);
  });
});

describe('valueToString', () => {
  it.each([
    ['a', 'a'],
    [10, '10'],
    [10.0, '10'],
    [1.5, '1.5'],
    [-0.25, '-0.25'],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
    [['a', 1, null], 'a\n1\n'],
    [[], ''],
  ])('%j → %j', (v, expected) => {
    expect(valueToString(v)).toBe(expected);
  });
});

describe('plain rendering and templateValue', () => {
  const ctx = context({ vars: { n: 3, list: ['a', 'b'], s: "it's $(x)" } });

  it('inserts values as text in plain mode', () => {
    expect(
      renderTemplate(template('n=${{ vars.n }} s=${{ vars.s }} l=${{ vars.list }}'), ctx, 'plain'),
    ).toEqual({
      ok: true,
      value: "n=3 s=it's $(x) l=a\nb",
    });
  });

  it('keeps the type of a lone expression and stringifies anything else', () => {
    expect(templateValue(template('${{ vars.n }}'), ctx)).toEqual({ ok: true, value: 3 });
    expect(templateValue(template('${{ vars.list }}'), ctx)).toEqual({ ok: true, value: ['a', 'b'] });
    expect(templateValue(template(' ${{ vars.n }}'), ctx)).toEqual({ ok: true, value: ' 3' });
    expect(templateValue(template('text'), ctx)).toEqual({ ok: true, value: 'text' });
  });

  it('returns the first evaluation error with its span', () => {
    const r = renderTemplate(template('a ${{ vars.nope }}'), ctx, 'shell');
    expect(r).toMatchObject({ ok: false, error: { span: { col: 7, endCol: 16 } } });
  });
});
