import { describe, expect, it } from 'vitest';
import type { BlockPolicy } from '../../../src/model/ast.js';
import { policyText } from '../../../src/report/plan-describe.js';

describe('policyText', () => {
  it.each<[BlockPolicy, string]>([
    [{ kind: 'all' }, 'all'],
    [{ kind: 'majority' }, 'majority'],
    [{ kind: 'min_success', n: 2 }, 'min_success(2)'],
    [{ kind: 'max_failed', n: 1 }, 'max_failed(1)'],
    [{ kind: 'max_success', n: 3 }, 'max_success(3)'],
    [{ kind: 'min_failed', n: 4 }, 'min_failed(4)'],
  ])('prints %o as it is written in a workflow', (policy, text) => {
    expect(policyText(policy)).toBe(text);
  });
});
