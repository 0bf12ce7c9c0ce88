import { describe, expect, it } from 'vitest';
import { createLineSplitter } from '../../../src/output/index.js';

function collect(chunks: readonly (string | Buffer)[], max?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((l) => lines.push(l), max);
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  splitter.end();
  return lines;
}

describe('createLineSplitter', () => {
  it('joins lines across chunks and emits the final partial line at end', () => {
    expect(collect(['a', 'b\nc', 'd\n\ne'])).toEqual(['ab', 'cd', '', 'e']);
  });

  it('strips the \\r of CRLF endings, also when split across chunks', () => {
    expect(collect(['one\r', '\ntwo\r\n'])).toEqual(['one', 'two']);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('€uro\n');
    expect(collect([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)])).toEqual(['€uro']);
  });

  it('emits no empty line when the stream ends with a newline', () => {
    expect(collect(['x\n'])).toEqual(['x']);
  });

  it('emits a long line without newline in bounded pieces', () => {
    const lines = collect(['a'.repeat(25), 'b'.repeat(10)], 10);
    expect(lines.map((l) => l.length)).toEqual([10, 10, 10, 5]);
    expect(lines.join('')).toBe('a'.repeat(25) + 'b'.repeat(10));
  });

  it('does not cut a surrogate pair when cutting a long line', () => {
    const lines = collect(['abcdefghi😀xyz'], 10);
    expect(lines[0]).toBe('abcdefghi');
    expect(lines.join('')).toBe('abcdefghi😀xyz');
  });
});
