import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { formatDiagnostic } from '../../../src/report/format-diagnostic.js';
import { stripAnsi } from '../../../src/report/ansi.js';
import { formatDiagnosticsGithub } from '../../../src/report/format-github.js';
import { span } from './builders.js';

const source = ['version: 1', 'steps:', '  - id: build', '    tiemout: 5m', '    run: make'].join('\n');

function diag(over: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 'unknown-key',
    severity: 'error',
    message: '"tiemout" is not a step key',
    span: span(4, 5, 12, 'deploy.yaml'),
    hint: 'did you mean "timeout"?',
    ...over,
  };
}

/** Column (0-based) of the first caret in a caret line, relative to the source text after the gutter. */
function caretColumn(frame: string[]): { start: number; width: number } {
  const caretLine = frame[frame.length - 1]!;
  const body = caretLine.slice(caretLine.indexOf('| ') + 2);
  const start = body.indexOf('^');
  return { start, width: body.lastIndexOf('^') - start + 1 };
}

describe('formatDiagnostic', () => {
  it('writes file:line:col, severity, code, message, then the hint', () => {
    const lines = formatDiagnostic(diag()).split('\n');
    expect(lines).toEqual([
      'deploy.yaml:4:5: error unknown-key: "tiemout" is not a step key',
      '  hint: did you mean "timeout"?',
    ]);
  });

  it('shows the line before, the line, and carets from col to endCol', () => {
    const lines = formatDiagnostic(diag(), source).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(' 3 |   - id: build');
    expect(lines[2]).toBe(' 4 |     tiemout: 5m');
    expect(lines[3]).toBe('   |     ^^^^^^^');
    expect(lines[4]).toBe('  hint: did you mean "timeout"?');
  });

  it('keeps the caret under the right character when the line has tabs', () => {
    const src = 'a:\n\tb:\tbad';
    const frame = formatDiagnostic(diag({ span: span(2, 5, 8), hint: undefined }), src)
      .split('\n')
      .slice(1);
    const sourceLine = frame[1]!.slice(frame[1]!.indexOf('| ') + 2);
    const { start, width } = caretColumn(frame);
    expect(sourceLine).not.toContain('\t');
    expect(sourceLine.slice(start, start + width)).toBe('bad');
  });

  it('underlines one column for an empty span and to the line end for a multi-line span', () => {
    const empty = formatDiagnostic(diag({ span: span(4, 5, 5), hint: undefined }), source).split('\n');
    expect(caretColumn(empty.slice(1))).toEqual({ start: 4, width: 1 });
    const multi = formatDiagnostic(
      diag({ span: { file: 'deploy.yaml', line: 4, col: 5, endLine: 5, endCol: 3 }, hint: undefined }),
      source,
    ).split('\n');
    expect(caretColumn(multi.slice(1))).toEqual({ start: 4, width: '    tiemout: 5m'.length - 4 });
  });

  it('has no line before on line 1 and no frame for a line outside the source', () => {
    const first = formatDiagnostic(diag({ span: span(1, 1, 8), hint: undefined }), source).split('\n');
    expect(first.slice(1)).toEqual([' 1 | version: 1', '   | ^^^^^^^']);
    const outside = formatDiagnostic(diag({ span: span(40, 1, 2), hint: undefined }), source).split('\n');
    expect(outside).toHaveLength(1);
  });

  it('widens the gutter to the line number and handles CRLF sources', () => {
    const src = Array.from({ length: 10 }, (_, i) => `k${i + 1}: v`).join('\r\n');
    const lines = formatDiagnostic(diag({ span: span(10, 1, 4), hint: undefined }), src).split('\n');
    expect(lines.slice(1)).toEqual(['  9 | k9: v', ' 10 | k10: v', '    | ^^^']);
  });

  it('labels warnings, and colours only when asked', () => {
    const warning = formatDiagnostic(diag({ severity: 'warning', code: 'unused-var' }));
    expect(warning.startsWith('deploy.yaml:4:5: warning unused-var: ')).toBe(true);
    expect(formatDiagnostic(diag(), source, { color: false })).not.toContain('\u001b[');
    const coloured = formatDiagnostic(diag(), source, { color: true });
    expect(coloured).toContain('\u001b[');
    expect(stripAnsi(coloured)).toBe(formatDiagnostic(diag(), source));
  });
});

describe('formatDiagnosticsGithub', () => {
  it('writes one workflow command per diagnostic with position properties and the code as title', () => {
    const out = formatDiagnosticsGithub([
      diag({ hint: undefined }),
      diag({ severity: 'warning', code: 'unused-var', message: 'x unused', hint: undefined }),
    ]);
    expect(out.split('\n')).toEqual([
      '::error file=deploy.yaml,line=4,col=5,endLine=4,endColumn=12,title=unknown-key::"tiemout" is not a step key',
      '::warning file=deploy.yaml,line=4,col=5,endLine=4,endColumn=12,title=unused-var::x unused',
      '',
    ]);
  });

  it('escapes % CR LF in the message and also : , in properties', () => {
    const out = formatDiagnosticsGithub([
      diag({ message: '100% bad\r\nnext: a,b', hint: 'try: x', span: span(1, 1, 2, 'dir,a/b:c%.yaml') }),
    ]);
    expect(out).toBe(
      '::error file=dir%2Ca/b%3Ac%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=unknown-key::100%25 bad%0D%0Anext: a,b%0Ahint: try: x\n',
    );
    expect(out.indexOf('\n')).toBe(out.length - 1);
  });

  it('is empty for no diagnostics', () => {
    expect(formatDiagnosticsGithub([])).toBe('');
  });
});
