import { displayName } from '../model/labels.js';
import type { Plan, PlanNode, StepId } from '../model/plan.js';
import { formatExpr, templateSource } from '../expr/index.js';
import { commandText, leafOf, targetText } from './plan-describe.js';
import { truncate } from './pretty-lines.js';

/** A dangling edge out of a finished part of the graph, waiting for the next node. */
interface Exit {
  from: string;
  label?: string;
}

const START = 'start';
const FINISH = 'finish';

/**
 * The plan as a Mermaid `flowchart TD`: solid edges for sequence, parallel fork/join, `needs` and
 * branch yes/no; dashed edges for on_success/on_failure jumps. Node ids are generated (`n1`, …);
 * step ids appear only inside quoted, entity-escaped labels.
 */
export function renderPlanMermaid(plan: Plan): string {
  const g = new Graph(plan.root.id);
  g.lines.push(`  ${START}(["${escapeLabel(plan.name)}"])`);
  const exits = g.build(plan.root, [{ from: START }]);
  g.lines.push(`  ${FINISH}(["end"])`);
  g.connect(exits, FINISH);
  for (const j of g.jumps) {
    const to = g.entries.get(j.to);
    if (to) g.lines.push(`  ${j.from} -.->|${j.label}| ${to}`);
  }
  return ['flowchart TD', ...g.lines, ''].join('\n');
}

class Graph {
  readonly lines: string[] = [];
  readonly entries = new Map<StepId, string>();
  readonly jumps: { from: string; to: StepId; label: string }[] = [];
  /** Return edges waiting for the innermost enclosing `finally`; empty means they go to the end. */
  private readonly returnScopes: Exit[][] = [];
  private count = 0;

  constructor(private readonly rootId: StepId) {}

  build(node: PlanNode, incoming: Exit[]): Exit[] {
    switch (node.kind) {
      case 'command':
      case 'copy':
      case 'fanout':
        return this.route(node, [{ from: this.enter(node, incoming, '["', '"]', leafLabel(node)) }]);
      case 'return':
        this.toReturn([{ from: this.enter(node, incoming, '(["', '"])', [`return ${node.code}`]) }]);
        return [];
      case 'sequence':
        return this.route(node, this.sequence(node, incoming));
      case 'parallel':
        return this.route(node, this.parallel(node, incoming));
      case 'branch': {
        const decision = this.enter(node, incoming, '{"', '"}', [`if ${formatExpr(node.condition)}`]);
        const yes = this.build(node.then, [{ from: decision, label: 'yes' }]);
        const no = node.else
          ? this.build(node.else, [{ from: decision, label: 'no' }])
          : [{ from: decision, label: 'no' }];
        return this.route(node, [...yes, ...no]);
      }
    }
  }

  connect(exits: readonly Exit[], to: string): void {
    for (const e of exits) this.lines.push(`  ${e.from} -->${e.label ? `|${e.label}|` : ''} ${to}`);
  }

  /** Declares a node, links the incoming edges to it and records it as the step's entry. */
  private enter(node: PlanNode, incoming: Exit[], open: string, close: string, text: string[]): string {
    const id = `n${++this.count}`;
    this.lines.push(`  ${id}${open}${text.map(escapeLabel).join('<br/>')}${close}`);
    this.connect(incoming, id);
    this.entries.set(node.id, id);
    return id;
  }

  /** A `finally` is entered from the children's exits and from every return inside them. */
  private sequence(node: Extract<PlanNode, { kind: 'sequence' }>, incoming: Exit[]): Exit[] {
    const hasFinally = node.finally.length > 0;
    if (hasFinally) this.returnScopes.push([]);
    let exits = incoming;
    for (const child of node.children) exits = this.build(child, exits);
    if (hasFinally) {
      const returns = this.returnScopes.pop() ?? [];
      exits = [...exits.map((e) => ({ from: e.from, label: e.label ?? 'finally' })), ...returns];
      for (const child of node.finally) exits = this.build(child, exits);
      // After a return, the finally ends the workflow; the root's exits reach the end anyway.
      if (returns.length && node.id !== this.rootId)
        this.toReturn(exits.map((e) => ({ from: e.from, label: 'return' })));
    }
    const first = node.children[0] ?? node.finally[0];
    const entry = first && this.entries.get(first.id);
    if (entry) this.entries.set(node.id, entry);
    return exits;
  }

  private toReturn(exits: Exit[]): void {
    const scope = this.returnScopes.at(-1);
    if (scope) scope.push(...exits);
    else this.connect(exits, FINISH);
  }

  private parallel(node: Extract<PlanNode, { kind: 'parallel' }>, incoming: Exit[]): Exit[] {
    const fork = this.enter(node, incoming, '{{"', '"}}', [`parallel ${node.id}`]);
    const built = new Map<StepId, Exit[]>();
    const siblings = new Set(node.children.map((c) => c.id));
    let pending = [...node.children];
    while (pending.length) {
      const ready = pending.filter((c) => c.needs.every((n) => built.has(n) || !siblings.has(n)));
      // A cycle is a plan error caught earlier; fall back to the fork so rendering still ends.
      const batch = ready.length ? ready : pending;
      for (const child of batch) {
        const needed = child.needs.flatMap((n) =>
          (built.get(n) ?? []).map((e) => ({ from: e.from, label: 'needs' })),
        );
        built.set(child.id, this.build(child, needed.length ? needed : [{ from: fork }]));
      }
      pending = pending.filter((c) => !batch.includes(c));
    }
    const join = `n${++this.count}`;
    this.lines.push(`  ${join}(("join"))`);
    const needed = new Set(node.children.flatMap((c) => c.needs));
    this.connect(
      [...built].filter(([id]) => !needed.has(id)).flatMap(([, exits]) => exits),
      join,
    );
    return [{ from: join }];
  }

  /** Jump edges for on_success/on_failure; `return N` ends the flow here. */
  private route(node: PlanNode, exits: Exit[]): Exit[] {
    for (const e of exits) {
      if (node.onSuccess) this.jumps.push({ from: e.from, to: node.onSuccess, label: 'on_success' });
      if (node.onFailure) this.jumps.push({ from: e.from, to: node.onFailure, label: 'on_failure' });
    }
    if (node.returnCode === undefined) return exits;
    this.toReturn(exits.map((e) => ({ from: e.from, label: `return ${node.returnCode}` })));
    return [];
  }
}

function leafLabel(node: PlanNode): string[] {
  const leaf = leafOf(node);
  const where =
    node.kind === 'fanout' ? node.targets.map(targetText).join(', ') : leaf ? targetText(leaf.target) : '';
  const what =
    leaf?.kind === 'copy'
      ? `copy ${templateSource(leaf.spec.src)} → ${templateSource(leaf.spec.dest)}`
      : leaf
        ? (commandText(leaf.spec.command).split('\n')[0] ?? '')
        : '';
  return [`${displayName(node.id, node.name)} @ ${where}`, truncate(what, 40)];
}

/** Mermaid entity codes for characters that would end or alter a quoted label. */
export function escapeLabel(text: string): string {
  return text.replace(/["#<>&`|\n]/g, (ch) => (ch === '\n' ? ' ' : `#${ch.charCodeAt(0)};`));
}
