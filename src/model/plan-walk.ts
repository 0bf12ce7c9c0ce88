import type { PlanNode } from './plan.js';

/** A node that runs as one step: it reports one result of its own and no block is under it. */
export type StepNode = Extract<PlanNode, { kind: 'command' | 'copy' | 'fanout' | 'return' }>;

/**
 * The nodes directly under `node`, in document order, `finally` last. A fan-out's template is its
 * one child: a node of the plan like any other, though it never runs as itself (see isStepNode).
 */
export function childrenOf(node: PlanNode): readonly PlanNode[] {
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

/** Visits a node and everything under it (childrenOf), depth first in document order. */
export function walkPlan(node: PlanNode, visit: (n: PlanNode, parent?: PlanNode) => void): void {
  const walk = (n: PlanNode, parent: PlanNode | undefined): void => {
    visit(n, parent);
    for (const child of childrenOf(n)) walk(child, n);
  };
  walk(node, undefined);
}

export function isStepNode(node: PlanNode): node is StepNode {
  return node.kind === 'command' || node.kind === 'copy' || node.kind === 'fanout' || node.kind === 'return';
}

/** The step nodes under `node` in document order; a fan-out counts once (its instances are made at run time). */
export function stepNodes(node: PlanNode): StepNode[] {
  if (isStepNode(node)) return [node];
  return childrenOf(node).flatMap(stepNodes);
}
