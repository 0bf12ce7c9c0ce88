import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatExpr, parseExpression, parseTemplate } from '../../../src/expr/index.js';
import { locate, renderShell, sh } from './helpers.js';

// Pieces of the grammar, so random input reaches deep into the parser instead of failing at once.
const fragments = fc.constantFrom(
  'exit',
  'steps.a-b.exit',
  'vars.x',
  '"s}}"',
  "'t'",
  '/r}}e/i',
  '/',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '!',
  '&&',
  '||',
  '??',
  '==',
  '~',
  '!~',
  '<=',
  '-1',
  '2.5',
  'contains(',
  'default(',
  'null',
  '${{',
  '}}',
  '$(',
  '\\',
  ' ',
  '\n',
);
const soup = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fragments, { maxLength: 40 }).map((a) => a.join('')),
);

describe('parsers never throw', () => {
  it('parseExpression returns diagnostics or an expression for any input', () => {
    fc.assert(
      fc.property(soup, (source) => {
        const r = parseExpression(source, locate);
        expect(r.expr !== undefined || r.diagnostics.length > 0).toBe(true);
        if (r.expr)
          expect(formatExpr(parseExpression(formatExpr(r.expr), locate).expr!)).toBe(formatExpr(r.expr));
      }),
      { numRuns: 1000 },
    );
  });

  it('parseTemplate returns diagnostics or a template for any input', () => {
    fc.assert(
      fc.property(soup, (text) => {
        const r = parseTemplate(text, locate);
        expect(r.template !== undefined || r.diagnostics.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('handles very long hostile input', () => {
    for (const s of [
      '('.repeat(100_000),
      '!'.repeat(100_000),
      'a||'.repeat(30_000) + 'a',
      '${{ '.repeat(20_000),
      '"'.repeat(50_001),
    ]) {
      expect(parseExpression(s, locate).diagnostics.length).toBeGreaterThan(0);
      expect(() => parseTemplate(s, locate)).not.toThrow();
    }
  });
});

describe('shell rendering round-trips through a real shell', () => {
  const values = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc
      .array(
        fc.constantFrom(
          "'",
          '"',
          '$',
          '`',
          '\\',
          '(',
          ')',
          '|',
          ';',
          '&',
          '\n',
          ' ',
          '#',
          '*',
          '!',
          'a',
          '{',
          '}',
        ),
        { maxLength: 20 },
      )
      .map((a) => a.join('')),
  );

  it('prints exactly the value in every quoting context', () => {
    fc.assert(
      fc.property(values, fc.constantFrom('bare', 'double', 'single'), (raw, where) => {
        const x = raw.replaceAll('\0', '');
        const text =
          where === 'bare'
            ? 'printf %s ${{ vars.x }}'
            : where === 'double'
              ? 'printf %s "${{ vars.x }}"'
              : "printf %s '${{ vars.x }}'";
        expect(sh(renderShell(text, x))).toEqual({ stdout: x, status: 0 });
      }),
      { numRuns: 200 },
    );
  });
});
