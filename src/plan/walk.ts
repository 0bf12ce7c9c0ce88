import type { PlanNode } from '../model/plan.js';

/** Visits a node and everything under it, depth first in document order; a fan-out's template counts as its child. */
export function walkPlan(node: PlanNode, visit: (n: PlanNode, parent?: PlanNode) => void): void {
  walk(node, visit, undefined);
}

function walk(
  node: PlanNode,
  visit: (n: PlanNode, parent?: PlanNode) => void,
  parent: PlanNode | undefined,
): void {
  visit(node, parent);
  for (const child of childrenOf(node)) walk(child, visit, node);
}

function childrenOf(node: PlanNode): readonly PlanNode[] {
  switch (node.kind) {
    case 'sequence':
      return [...node.children, ...node.finally];
    case 'parallel':
      return node.children;
    case 'branch':
      return node.else ? [node.then, node.else] : [node.then];
    case 'fanout':
      return [node.template];
    case 'command':
    case 'copy':
    case 'return':
      return [];
  }
}
