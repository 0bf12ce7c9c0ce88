import type { BlockPolicy } from '../model/ast.js';

/**
 * Whether a block of `total` children with `failed` failures meets its policy. Children that have not
 * ended count as successes, so during the run this answers "can it still be met", and at the end it
 * is the verdict.
 */
export function policyHolds(policy: BlockPolicy, total: number, failed: number): boolean {
  const ok = total - failed;
  switch (policy.kind) {
    case 'all':
      return failed === 0;
    case 'any':
      return ok >= 1;
    case 'majority':
      return ok * 2 > total;
    case 'min_success':
      return ok >= policy.n;
    case 'max_failed':
      return failed <= policy.n;
    // Not monotonic: with fail_fast these may cancel early, so they suit blocks without it.
    case 'max_success':
      return ok <= policy.n;
    case 'min_failed':
      return failed >= policy.n;
  }
}
