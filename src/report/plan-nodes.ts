import type { PlanNode } from '../model/plan.js';

/** Direct children of a node, in source order, `finally` last. */
export function childNodes(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'sequence':
      return [...node.children, ...node.finally];
    case 'parallel':
      return [...node.children];
    case 'branch':
      return node.else ? [node.then, node.else] : [node.then];
    case 'command':
    case 'copy':
    case 'fanout':
    case 'return':
      return [];
  }
}

const RUNNABLE = new Set(['command', 'copy', 'fanout', 'return']);

/** Command, copy, fan-out and return nodes under `node` (blocks are not counted). */
export function countRunnableSteps(node: PlanNode): number {
  const own = RUNNABLE.has(node.kind) ? 1 : 0;
  return own + childNodes(node).reduce((sum, child) => sum + countRunnableSteps(child), 0);
}
