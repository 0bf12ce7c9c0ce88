import { displayName } from '../model/labels.js';
import type { Plan, PlanNode } from '../model/plan.js';
import { nodeAttributes, nodeDetails } from './plan-describe.js';

interface TreeItem {
  head: string;
  details: string[];
  children: TreeItem[];
}

/**
 * The plan as an indented tree: one header line per node (`id  kind  target  facts`), its command
 * and conditions beneath, children drawn with box-drawing characters, `finally` as its own branch.
 */
export function renderPlanTree(plan: Plan): string {
  const root = treeItem(plan.root);
  const title = `${plan.name} (${plan.file})`;
  return (
    [title, ...root.details.map((d) => `  ${d}`), ...renderChildren(root.children, '')].join('\n') + '\n'
  );
}

function treeItem(node: PlanNode, label?: string): TreeItem {
  // An anonymous step is shown by its place (`steps[2] then[1]`), never its internal path id.
  const shown = displayName(node.id, node.name);
  const name = node.name !== shown ? ` "${node.name}"` : '';
  const head = [`${label ? `${label}: ` : ''}${shown}${name}`, node.kind, ...nodeAttributes(node)].join('  ');
  return { head, details: nodeDetails(node), children: treeChildren(node) };
}

function treeChildren(node: PlanNode): TreeItem[] {
  switch (node.kind) {
    case 'sequence': {
      const items = node.children.map((c) => treeItem(c));
      if (node.finally.length === 0) return items;
      return [...items, { head: 'finally', details: [], children: node.finally.map((c) => treeItem(c)) }];
    }
    case 'parallel':
      return node.children.map((c) => treeItem(c));
    case 'branch':
      return [treeItem(node.then, 'then'), ...(node.else ? [treeItem(node.else, 'else')] : [])];
    case 'command':
    case 'copy':
    case 'fanout':
    case 'return':
      return [];
  }
}

function renderChildren(items: readonly TreeItem[], prefix: string): string[] {
  return items.flatMap((item, i) => {
    const last = i === items.length - 1;
    const childPrefix = prefix + (last ? '   ' : '│  ');
    const detailPrefix = childPrefix + (item.children.length ? '│  ' : '   ');
    return [
      `${prefix}${last ? '└─ ' : '├─ '}${item.head}`,
      ...item.details.map((d) => `${detailPrefix}${d}`.trimEnd()),
      ...renderChildren(item.children, childPrefix),
    ];
  });
}
