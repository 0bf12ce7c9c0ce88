import type { Diagnostic } from '../model/diagnostic.js';
import { planError } from './diagnostics.js';
import type { StepIndex, StepInfo } from './ids.js';
import { didYouMean } from '../expr/index.js';

/** `needs` only on direct children of `parallel`, naming siblings, without cycles. */
export function checkNeeds(index: StepIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parallelLists = new Set<readonly StepInfo[]>();
  for (const info of index.all) {
    const needs = info.step.needs ?? [];
    const first = needs[0];
    if (!first) continue;
    const last = info.path[info.path.length - 1];
    if (last?.list !== 'parallel') {
      out.push(
        planError(
          'needs-outside-block',
          `needs works only on steps directly inside a parallel block`,
          first.span,
          'remove `needs` (steps of a sequence already run in order) or move the step into a `parallel:` block',
        ),
      );
      continue;
    }
    parallelLists.add(info.siblings);
    const siblingIds = info.siblings.filter((x) => x.explicitId && x !== info).map((x) => x.id);
    for (const need of needs) {
      if (siblingIds.includes(need.value) || need.value === info.id) continue;
      const elsewhere = index.byId.has(need.value)
        ? `"${need.value}" is not in this parallel block`
        : `no step has the id "${need.value}"`;
      out.push(
        planError(
          'unknown-step',
          `needs: ${elsewhere}`,
          need.span,
          didYouMean(need.value, siblingIds, 'name a sibling step of this parallel block by its `id:`'),
        ),
      );
    }
  }
  for (const siblings of parallelLists) out.push(...findCycles(siblings));
  return out;
}

/** Reports each cycle once, at the `needs` entry of its first step in document order. */
function findCycles(siblings: readonly StepInfo[]): Diagnostic[] {
  const byId = new Map(siblings.filter((s) => s.explicitId).map((s) => [s.id, s]));
  const state = new Map<StepInfo, 'active' | 'done'>();
  const out: Diagnostic[] = [];
  const visit = (node: StepInfo, stack: StepInfo[]): void => {
    state.set(node, 'active');
    for (const need of node.step.needs ?? []) {
      const next = byId.get(need.value);
      if (!next) continue;
      if (state.get(next) === 'active') {
        const cycle = rotate(next === node ? [node] : [...stack.slice(stack.indexOf(next)), node], siblings);
        const start = cycle[0] as StepInfo;
        cycle.push(start);
        const span = start.step.needs?.find((n) => n.value === cycle[1]?.id)?.span ?? need.span;
        const text = cycle.map((s) => s.id).join(' → ');
        out.push(
          planError('needs-cycle', `needs form a cycle: ${text}`, span, 'remove one of these needs entries'),
        );
      } else if (!state.has(next)) visit(next, [...stack, node]);
    }
    state.set(node, 'done');
  };
  for (const s of siblings) if (!state.has(s)) visit(s, []);
  return out;
}

// Starts the cycle at its first step in document order, so the report does not depend on visit order.
function rotate(cycle: StepInfo[], siblings: readonly StepInfo[]): StepInfo[] {
  let start = 0;
  cycle.forEach((s, i) => {
    if (siblings.indexOf(s) < siblings.indexOf(cycle[start] as StepInfo)) start = i;
  });
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
