import { formatExpr, templateSource } from '../expr/index.js';
import { MAX_OUTLINE_NODES, type OutlineNode, type PlanOutline } from '../model/plan-outline.js';
import type { Plan, PlanNode } from '../model/plan.js';
import { commandText, leafOf } from './plan-describe.js';
import { truncate } from './pretty-lines.js';

const LABEL_CHARS = 80;

/** The plan's outline to keep with the run (model/plan-outline.ts); at most MAX_OUTLINE_NODES nodes. */
export function planOutline(plan: Plan): PlanOutline {
  let budget = MAX_OUTLINE_NODES;
  const take = (nodes: readonly PlanNode[]): OutlineNode[] => {
    const out: OutlineNode[] = [];
    for (const n of nodes) {
      if (budget <= 0) break;
      budget--;
      out.push(node(n, take));
    }
    return out;
  };
  budget--;
  return { version: 1, name: plan.name, root: node(plan.root, take) };
}

function node(n: PlanNode, take: (nodes: readonly PlanNode[]) => OutlineNode[]): OutlineNode {
  const leaf = leafOf(n);
  const repeat = leaf?.kind === 'command' ? leaf.spec : undefined;
  const retry = leaf ? leaf.spec.retry.attempts : 1;
  return {
    id: n.id,
    name: n.name,
    kind: n.kind,
    label: truncate(label(n), LABEL_CHARS),
    needs: [...n.needs],
    onSuccess: n.onSuccess ?? null,
    onFailure: n.onFailure ?? null,
    children: take(childrenOf(n)),
    hasElse: n.kind === 'branch' && n.else !== undefined,
    finally: n.kind === 'sequence' ? take(n.finally) : [],
    hosts: n.kind === 'fanout' ? n.targets.length : null,
    retry: retry > 1 ? retry : null,
    loop: repeat?.loop ? repeat.loop.max : null,
    returnCode: n.kind === 'return' ? n.code : (n.returnCode ?? null),
  };
}

/** Children as the outline keeps them: a fan-out's template is the fan-out itself (no child). */
function childrenOf(n: PlanNode): readonly PlanNode[] {
  switch (n.kind) {
    case 'sequence':
    case 'parallel':
      return n.children;
    case 'branch':
      return n.else ? [n.then, n.else] : [n.then];
    case 'fanout':
    case 'command':
    case 'copy':
    case 'return':
      return [];
  }
}

function label(n: PlanNode): string {
  if (n.kind === 'branch') return `if ${formatExpr(n.condition)}`;
  if (n.kind === 'return') return `return ${n.code}`;
  const leaf = leafOf(n);
  if (!leaf) return '';
  if (leaf.kind === 'copy')
    return `copy ${templateSource(leaf.spec.src)} → ${templateSource(leaf.spec.dest)}`;
  return commandText(leaf.spec.command).split('\n')[0] ?? '';
}
