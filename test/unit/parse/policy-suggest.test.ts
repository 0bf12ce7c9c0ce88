import { describe, expect, it } from 'vitest';
import { parsePolicy, suggest } from '../../../src/parse/index.js';
import { distance } from '../../../src/expr/index.js';

describe('parsePolicy', () => {
  it.each([
    ['all', { kind: 'all' }],
    ['any', { kind: 'any' }],
    ['majority', { kind: 'majority' }],
    ['min_success(2)', { kind: 'min_success', n: 2 }],
    ['max_failed(0)', { kind: 'max_failed', n: 0 }],
    [' max_failed( 3 ) ', { kind: 'max_failed', n: 3 }],
  ])('%s', (text, policy) => {
    expect(parsePolicy(text)).toEqual(policy);
  });

  it.each(['most', 'min_success(0)', 'min_success()', 'max_failed(-1)', 'min_success(x)', 'ALL', 'all()'])(
    'rejects %j',
    (text) => {
      expect(parsePolicy(text)).toBeUndefined();
    },
  );
});

describe('suggest', () => {
  const keys = ['timeout', 'retry', 'run', 'steps', 'continue_on_error'];
  it('finds typos, swaps, and case differences', () => {
    expect(suggest('timout', keys)).toBe('timeout');
    expect(suggest('tiemout', keys)).toBe('timeout');
    expect(suggest('Retry', keys)).toBe('retry');
    expect(suggest('rnu', keys)).toBe('run');
    expect(suggest('continue_on_eror', keys)).toBe('continue_on_error');
  });

  it('stays quiet when nothing is close', () => {
    expect(suggest('banana', keys)).toBeUndefined();
    expect(suggest('x'.repeat(10_000), keys)).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(distance('ab', 'ba')).toBe(1);
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(distance('', 'abc')).toBe(3);
  });
});
