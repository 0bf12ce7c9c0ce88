import { describe, expect, it } from 'vitest';
import { collectRefs } from '../../../src/expr/index.js';
import type { Span } from '../../../src/model/span.js';
import { parse } from './helpers.js';

/** Where `vars.x` was found in the only step's command or condition. */
function refSpan(stepLines: string): Span {
  const out = parse(`version: 1\nvars: { x: 1 }\nsteps:\n${stepLines}`);
  expect(out.diagnostics).toEqual([]);
  const s = out.workflow!.steps[0]!;
  const target =
    s.kind === 'run'
      ? s.command.kind === 'shell'
        ? s.command.script
        : s.command.args[1]!
      : s.kind === 'if'
        ? s.condition.expr
        : undefined;
  const refs = collectRefs(target!);
  expect(refs.map((r) => r.root)).toEqual(['vars']);
  return refs[0]!.span;
}

const at = (s: Span): string => `${s.line}:${s.col}-${s.endLine}:${s.endCol}`;

describe('positions inside scalars', () => {
  it('maps plain scalars column for column', () => {
    expect(at(refSpan('  - run: echo ${{ vars.x }}\n'))).toBe('4:19-4:25');
  });

  it('skips the opening quote of simple quoted scalars', () => {
    expect(at(refSpan("  - run: 'echo ${{ vars.x }}'\n"))).toBe('4:20-4:26');
    expect(at(refSpan('  - run: "echo ${{ vars.x }}"\n'))).toBe('4:20-4:26');
  });

  it('maps argv items', () => {
    expect(at(refSpan('  - run: [echo, "${{ vars.x }}"]\n'))).toBe('4:22-4:28');
  });

  it('maps lines of literal block scalars', () => {
    expect(at(refSpan('  - run: |\n      echo a\n      echo ${{ vars.x }}\n'))).toBe('6:16-6:22');
  });

  it('maps wrapped and plain conditions', () => {
    expect(at(refSpan('  - if: ${{ vars.x == 1 }}\n    then: [a]\n'))).toBe('4:13-4:19');
    expect(at(refSpan('  - if: vars.x == 1\n    then: [a]\n'))).toBe('4:9-4:15');
  });

  it('points at the whole scalar when escapes or folding move the text', () => {
    expect(at(refSpan('  - run: "echo\\t${{ vars.x }}"\n'))).toBe('4:10-4:31');
    expect(at(refSpan('  - run: >\n      echo\n      ${{ vars.x }}\n'))).toBe('4:10-6:20');
  });

  it('places expression errors at their column', () => {
    const out = parse('version: 1\nsteps:\n  - run: make\n    success: "exit == 0 &&"\n');
    expect(out.diagnostics.map((d) => [d.code, d.span.line, d.span.col])).toEqual([['expr-syntax', 4, 27]]);
  });
});
