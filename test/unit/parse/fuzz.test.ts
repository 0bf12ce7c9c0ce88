import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../../../src/parse/index.js';

const validDir = join(import.meta.dirname, '../../../fixtures/workflows/valid');
const fixtures = readdirSync(validDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(validDir, f), 'utf8'));

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        ':',
        '- ',
        '  ',
        '\t',
        '&a ',
        '*a',
        '${{',
        '}}',
        '[',
        '{',
        '"',
        "'",
        '|',
        '#',
        '\n',
        '? ',
        '!!str ',
      ),
    ),
  }),
);

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const n = Math.max(lines.length, 1);
  switch (m.kind) {
    case 'delete':
      lines.splice(m.at % n, 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(m.at % n, 0, lines[m.at % n] ?? '');
      return lines.join('\n');
    case 'swap': {
      const [a, b] = [m.a % n, m.b % n];
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}

describe('mutated valid fixtures', () => {
  it('only ever produce diagnostics with sane spans, never an exception', () => {
    fc.assert(
      fc.property(
        fc.nat(fixtures.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (index, mutations) => {
          const text = mutations.reduce(apply, fixtures[index]!);
          const out = parseWorkflowText(text, 'fuzz.yaml');
          for (const d of out.diagnostics) {
            expect(d.span.file).toBe('fuzz.yaml');
            expect(d.span.line).toBeGreaterThanOrEqual(1);
            expect(d.span.col).toBeGreaterThanOrEqual(1);
            expect(d.span.endLine).toBeGreaterThanOrEqual(d.span.line);
            expect(typeof d.message).toBe('string');
          }
          // Without an error, a workflow must come back.
          if (!out.diagnostics.some((d) => d.severity === 'error')) expect(out.workflow).toBeDefined();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('survives arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (input) => {
        const out = parseWorkflowText(input, 'random.yaml');
        expect(Array.isArray(out.diagnostics)).toBe(true);
        if (out.workflow === undefined) expect(out.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
