import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../src/output/index.js';
import { createHeadCapture } from '../../../src/output/capture.js';

describe('safeFileName', () => {
  it('keeps step, host and attempt parts', () => {
    expect(safeFileName('deploy@web-1.2')).toBe('deploy@web-1.2');
  });

  it('replaces separators and other characters', () => {
    expect(safeFileName('a/b\\c d:e')).toBe('a_b_c_d_e');
  });

  it('never starts with a dot and is never empty', () => {
    expect(safeFileName('..')).toBe('__');
    expect(safeFileName('.hidden')).toBe('_hidden');
    expect(safeFileName('')).toBe('step');
  });

  it('bounds the length', () => {
    expect(safeFileName('x'.repeat(1000)).length).toBe(200);
  });
});

describe('createHeadCapture', () => {
  it('keeps everything under the limit and removes one trailing newline', () => {
    const c = createHeadCapture(100);
    c.push(Buffer.from('a\n\n'));
    expect(c.text()).toBe('a\n');
    expect(c.truncated).toBe(false);
  });

  it('keeps only the head and flags truncation', () => {
    const c = createHeadCapture(5);
    c.push(Buffer.from('abc'));
    c.push(Buffer.from('defgh'));
    c.push(Buffer.from('ij'));
    expect(c.text()).toBe('abcde');
    expect(c.truncated).toBe(true);
  });

  it('is not truncated when the stream is exactly the limit', () => {
    const c = createHeadCapture(3);
    c.push(Buffer.from('abc'));
    expect(c.truncated).toBe(false);
  });

  it('drops a half character at the cut', () => {
    const c = createHeadCapture(2);
    c.push(Buffer.from('a€'));
    expect(c.text()).toBe('a');
  });
});
