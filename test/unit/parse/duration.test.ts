import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration } from '../../../src/parse/index.js';
import { parseAge } from '../../../src/parse/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1m30s500ms', 90_500],
    ['1.5s', 1500],
    ['45', 45_000],
    [' 10s ', 10_000],
    ['0s', 0],
    [12, 12_000],
    [0.25, 250],
  ] as const)('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5 minutes', '5x', 'm', '30m1h', '1m1m', '-5s', '1h 30m', 'ten', '1e3s', '25d'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('rejects negative, non-finite and too-large numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
    expect(parseDuration(MAX_DURATION_MS / 1000 + 1)).toBeUndefined();
    expect(parseDuration('24d')).toBe(24 * 86_400_000);
  });
});

describe('parseAge (history --since, prune --older-than): the same parts, plus weeks, unbounded', () => {
  it('reads what parseDuration reads with a unit, weeks, and ages past the timer limit', () => {
    expect(parseAge('1d12h')).toBe(36 * 3_600_000);
    expect(parseAge('30 d')).toBe(30 * 86_400_000);
    expect(parseAge('52w')).toBe(52 * 604_800_000);
    expect(parseAge('500ms')).toBe(500);
    expect(parseDuration('52w')).toBeUndefined();
    expect(parseDuration('30 d')).toBeUndefined();
  });

  it('refuses bare numbers, units out of order and anything else', () => {
    for (const bad of ['30', '', '30m1h', '1m1m', 'soon', '-1d', '1x'])
      expect(parseAge(bad), bad).toBeUndefined();
  });
});
