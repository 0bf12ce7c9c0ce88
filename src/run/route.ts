import type { PlanNode } from '../model/plan.js';
import type { StepStatus } from '../model/result.js';
import { isFailure } from './status.js';
import type { Escape } from './types.js';

/**
 * Where to go after a step, from its own keys: on failure, `on_failure` jumps (the failure is
 * handled) and `return` applies only with continue_on_error; on success, `return` wins over
 * `on_success`. Skipped steps route nowhere.
 */
export function routeAfter(node: PlanNode, status: StepStatus): Escape | undefined {
  if (status === 'skipped') return undefined;
  if (isFailure(status)) {
    if (node.onFailure !== undefined) return { kind: 'jump', target: node.onFailure };
    if (node.continueOnError && node.returnCode !== undefined)
      return { kind: 'return', code: node.returnCode };
    return undefined;
  }
  if (node.returnCode !== undefined) return { kind: 'return', code: node.returnCode };
  if (node.onSuccess !== undefined) return { kind: 'jump', target: node.onSuccess };
  return undefined;
}
