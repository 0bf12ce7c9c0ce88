import { displayName } from '../../model/labels.js';
import type { OutlineNode, PlanOutline } from '../api-types.js';

type Shape = 'step' | 'fanout' | 'decision' | 'fork' | 'join' | 'return' | 'terminal';

/** A box of the drawn graph; `step` is the step id whose rows colour it (null for start, end, join). */
export interface GNode {
  key: number;
  step: string | null;
  shape: Shape;
  title: string;
  sub: string;
  /** How it repeats: `500 hosts`, `retry 3`, `loop ≤10` (empty when it runs once). */
  badge: string;
}

/** `flow`: what runs next (sequence, fork, join, needs, yes/no, finally); `jump`: on_success/on_failure. */
export interface GEdge {
  from: number;
  to: number;
  label: string;
  kind: 'flow' | 'jump';
}

export interface PlanGraph {
  nodes: GNode[];
  edges: GEdge[];
}

/** A dangling edge out of a finished part of the graph, waiting for the next node. */
interface Exit {
  from: number;
  label: string;
}

/**
 * The outline as boxes and edges, the way `tasker plan --format mermaid` draws it: a start, each step,
 * a diamond per branch, a fork and a join per parallel block, `finally` after its block (also after a
 * return inside it), an end. Every flow edge goes to a node made after its source, so they form a DAG.
 */
export function buildGraph(outline: PlanOutline): PlanGraph {
  const g = new Builder(outline.root.id);
  const start = g.add(null, 'terminal', outline.name, 'start');
  const exits = g.build(outline.root, [{ from: start, label: '' }]);
  const end = g.add(null, 'terminal', 'end', '');
  g.connect(exits, end);
  for (const r of g.returnsToEnd) g.connect([r], end);
  for (const j of g.jumps) {
    const to = g.entries.get(j.to);
    if (to !== undefined) g.edges.push({ from: j.from, to, label: j.label, kind: 'jump' });
  }
  return { nodes: g.nodes, edges: g.edges };
}

class Builder {
  readonly nodes: GNode[] = [];
  readonly edges: GEdge[] = [];
  readonly entries = new Map<string, number>();
  readonly jumps: { from: number; to: string; label: string }[] = [];
  readonly returnsToEnd: Exit[] = [];
  /** Return edges waiting for the innermost enclosing `finally`. */
  private readonly returnScopes: Exit[][] = [];

  constructor(private readonly rootId: string) {}

  add(step: string | null, shape: Shape, title: string, sub: string, badge = ''): number {
    const key = this.nodes.length;
    this.nodes.push({ key, step, shape, title, sub, badge });
    return key;
  }

  connect(exits: readonly Exit[], to: number): void {
    for (const e of exits) this.edges.push({ from: e.from, to, label: e.label, kind: 'flow' });
  }

  build(n: OutlineNode, incoming: Exit[]): Exit[] {
    switch (n.kind) {
      case 'command':
      case 'copy':
      case 'fanout':
        return this.route(n, [
          { from: this.enter(n, incoming, n.kind === 'fanout' ? 'fanout' : 'step'), label: '' },
        ]);
      case 'return':
        this.toReturn([{ from: this.enter(n, incoming, 'return'), label: '' }]);
        return [];
      case 'sequence':
        return this.route(n, this.sequence(n, incoming));
      case 'parallel':
        return this.route(n, this.parallel(n, incoming));
      case 'branch': {
        const decision = this.enter(n, incoming, 'decision');
        const [then, otherwise] = n.children;
        const yes = then ? this.build(then, [{ from: decision, label: 'yes' }]) : [];
        const no =
          n.hasElse && otherwise
            ? this.build(otherwise, [{ from: decision, label: 'no' }])
            : [{ from: decision, label: 'no' }];
        return this.route(n, [...yes, ...no]);
      }
    }
  }

  private enter(n: OutlineNode, incoming: Exit[], shape: Shape): number {
    const key = this.add(n.id, shape, displayName(n.id, n.name ?? undefined), n.label, badgeOf(n));
    this.connect(incoming, key);
    this.entries.set(n.id, key);
    return key;
  }

  private sequence(n: OutlineNode, incoming: Exit[]): Exit[] {
    const hasFinally = n.finally.length > 0;
    if (hasFinally) this.returnScopes.push([]);
    let exits = incoming;
    for (const child of n.children) exits = this.build(child, exits);
    if (hasFinally) {
      const returns = this.returnScopes.pop() ?? [];
      exits = [...exits.map((e) => ({ from: e.from, label: e.label || 'finally' })), ...returns];
      for (const child of n.finally) exits = this.build(child, exits);
      // After a return, the finally ends the workflow (the root's exits reach the end anyway).
      if (returns.length && n.id !== this.rootId)
        this.toReturn(exits.map((e) => ({ ...e, label: 'return' })));
    }
    const first = n.children[0] ?? n.finally[0];
    const entry = first && this.entries.get(first.id);
    if (entry !== undefined) this.entries.set(n.id, entry);
    return exits;
  }

  private toReturn(exits: Exit[]): void {
    const scope = this.returnScopes.at(-1);
    (scope ?? this.returnsToEnd).push(...exits);
  }

  private parallel(n: OutlineNode, incoming: Exit[]): Exit[] {
    const fork = this.enter(n, incoming, 'fork');
    const built = new Map<string, Exit[]>();
    const siblings = new Set(n.children.map((c) => c.id));
    let pending = [...n.children];
    while (pending.length) {
      const ready = pending.filter((c) => c.needs.every((id) => built.has(id) || !siblings.has(id)));
      // A cycle is a plan error caught before a run; fall back to the fork so drawing still ends.
      const batch = ready.length ? ready : pending;
      for (const child of batch) {
        const needed = child.needs.flatMap((id) =>
          (built.get(id) ?? []).map((e) => ({ from: e.from, label: 'needs' })),
        );
        built.set(child.id, this.build(child, needed.length ? needed : [{ from: fork, label: '' }]));
      }
      pending = pending.filter((c) => !batch.includes(c));
    }
    const join = this.add(null, 'join', 'join', '');
    const needed = new Set(n.children.flatMap((c) => c.needs));
    this.connect(
      [...built].filter(([id]) => !needed.has(id)).flatMap(([, exits]) => exits),
      join,
    );
    return [{ from: join, label: '' }];
  }

  /** Jump edges for on_success/on_failure; a step's `return N` ends the flow here. */
  private route(n: OutlineNode, exits: Exit[]): Exit[] {
    for (const e of exits) {
      if (n.onSuccess) this.jumps.push({ from: e.from, to: n.onSuccess, label: 'on_success' });
      if (n.onFailure) this.jumps.push({ from: e.from, to: n.onFailure, label: 'on_failure' });
    }
    if (n.returnCode === null || n.kind === 'return') return exits;
    this.toReturn(exits.map((e) => ({ from: e.from, label: `return ${n.returnCode}` })));
    return [];
  }
}

function badgeOf(n: OutlineNode): string {
  const parts = [
    n.hosts !== null ? `${n.hosts} host${n.hosts === 1 ? '' : 's'}` : '',
    n.retry !== null ? `retry ${n.retry}` : '',
    n.loop !== null ? `loop ≤${n.loop}` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}
