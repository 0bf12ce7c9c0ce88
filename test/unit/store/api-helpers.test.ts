import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSince, tailLines } from '../../../src/api/history.js';
import { parseAge } from '../../../src/parse/duration.js';
import { formatElapsed as formatDuration } from '../../../src/report/durations.js';
import { alertMatches } from '../../../src/model/notify.js';
import { readCapture } from '../../../src/output/index.js';
import { tempHome } from './helpers.js';

describe('ages and --since', () => {
  it('reads ages beyond the 24-day timer limit, and dates', () => {
    expect(parseAge('30d')).toBe(30 * 86_400_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('2w')).toBe(14 * 86_400_000);
    expect(parseAge('soon')).toBeUndefined();
    expect(parseSince('24h', 100_000_000)).toBe(100_000_000 - 86_400_000);
    expect(parseSince('2026-11-01', 0)).toBe(Date.parse('2026-11-01'));
    expect(parseSince('yesterday', 0)).toBeUndefined();
  });

  it('formats durations compactly', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(1_234)).toBe('1.2s');
    expect(formatDuration(184_000)).toBe('3m04s');
    expect(formatDuration(7_500_000)).toBe('2h05m');
  });
});

describe('output files read back', () => {
  it('tail gives the last lines, the capture keeps head and tail and drops one trailing newline, missing files are empty', () => {
    const file = join(tempHome(), 'out');
    writeFileSync(file, 'one\ntwo\nthree\n');
    expect(tailLines(file, 2)).toEqual(['two', 'three']);
    expect(readCapture(file, 1024).text).toBe('one\ntwo\nthree');
    expect(readCapture(file, 12).text.split('\n')).toEqual([
      'one',
      expect.stringMatching(/^\[tasker: /),
      'three',
    ]);
    expect(readCapture(join(file, 'missing'), 10).text).toBe('');
    expect(tailLines(null, 5)).toEqual([]);
  });
});

describe('alertMatches', () => {
  const n = (on: ('failure' | 'success' | 'always')[]) => ({ on, timeoutMs: 1000 });
  it('failure means any non-zero exit, success exit 0, always both', () => {
    expect(alertMatches(n(['failure']), 1)).toBe(true);
    expect(alertMatches(n(['failure']), 130)).toBe(true);
    expect(alertMatches(n(['failure']), 0)).toBe(false);
    expect(alertMatches(n(['success']), 0)).toBe(true);
    expect(alertMatches(n(['always']), 4)).toBe(true);
  });
});
