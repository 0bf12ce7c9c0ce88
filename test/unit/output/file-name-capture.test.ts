import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../src/output/index.js';

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
