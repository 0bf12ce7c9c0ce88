import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../src/model/result-json.js';
import { formatConfigDuration, formatElapsed, formatSeconds } from '../../../src/report/durations.js';
import { T0 } from './builders.js';

describe('durations', () => {
  it('formats elapsed time for people', () => {
    expect([0, 999, 1000, 1299, 59_999, 60_000, 123_000, 3_599_999, 3_720_000].map(formatElapsed)).toEqual([
      '0ms',
      '999ms',
      '1.0s',
      '1.2s',
      '59.9s',
      '1m00s',
      '2m03s',
      '59m59s',
      '1h02m',
    ]);
    expect(formatElapsed(Number.NaN)).toBe('-');
  });

  it('formats configured durations the way a file writes them', () => {
    expect([500, 1500, 30_000, 90_000, 300_000, 7_200_000, 3_661_000].map(formatConfigDuration)).toEqual([
      '500ms',
      '1.5s',
      '30s',
      '1m30s',
      '5m',
      '2h',
      '1h1m1s',
    ]);
  });

  it('formats machine seconds and ISO times, with null for unset times', () => {
    expect(formatSeconds(1234)).toBe('1.234s');
    expect(formatSeconds(-5)).toBe('0.000s');
    expect(isoTime(T0)).toBe('2026-11-22T03:00:00.000Z');
    expect(isoTime(0)).toBeNull();
  });
});
