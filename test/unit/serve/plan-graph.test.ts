import { describe, expect, it } from 'vitest';
import { checkOutline, MAX_OUTLINE_NODES, type OutlineNode } from '../../../src/model/plan-outline.js';
import { renderPlanMermaid } from '../../../src/report/plan-mermaid.js';
import { planOutline } from '../../../src/report/plan-outline.js';
import { buildGraph, type PlanGraph } from '../../../src/serve/page/graph-build.js';
import { layoutGraph } from '../../../src/serve/page/graph-layout.js';
import { fanoutTotals, nodeStates } from '../../../src/serve/page/graph-state.js';
import type { StepView } from '../../../src/serve/api-types.js';
import { command, everyKindPlan, plan } from '../report/builders.js';

/** Mermaid's edges as `from -label-> to`, nodes named by their label's first part. */
function mermaidEdges(chart: string): string[] {
  const names = new Map<string, string>();
  for (const line of chart.split('\n')) {
    const m = /^ {2}(\w+)\W+"([^"]*)"/.exec(line);
    if (m) names.set(m[1]!, canonical(m[2]!.split('<br/>')[0]!.replace(/ @ .*/, '')));
  }
  names.set('start', 'start');
  names.set('finish', 'end');
  return chart
    .split('\n')
    .map((l) => /^ {2}(\w+) -\.?->(?:\|([^|]*)\|)? (\w+)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${names.get(m[1]!)} -${m[2] ?? ''}-> ${names.get(m[3]!)}`)
    .sort();
}

function canonical(label: string): string {
  return label === 'join'
    ? 'join'
    : label.replace(/#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
}

function graphEdges(g: PlanGraph): string[] {
  const name = (k: number): string => {
    const n = g.nodes[k]!;
    if (n.shape === 'terminal') return k === 0 ? 'start' : 'end';
    if (n.shape === 'fork') return `parallel ${n.title}`;
    if (n.shape === 'decision' || n.shape === 'return') return n.sub;
    return n.title;
  };
  return g.edges.map((e) => `${name(e.from)} -${e.label}-> ${name(e.to)}`).sort();
}

function count(n: OutlineNode): number {
  return 1 + [...n.children, ...n.finally].reduce((sum, c) => sum + count(c), 0);
}

describe('the plan outline kept with a run', () => {
  it('reads back exactly what was written, through the checked reader', () => {
    const outline = planOutline(everyKindPlan());
    expect(checkOutline(JSON.parse(JSON.stringify(outline)), 'test')).toEqual(outline);
    const fanout = outline.root.children.find((c) => c.id === 'upload')!;
    expect(fanout).toMatchObject({ kind: 'fanout', hosts: 2, retry: 3, children: [] });
  });

  it('names the field that is wrong in a damaged outline', () => {
    const outline = JSON.parse(JSON.stringify(planOutline(everyKindPlan()))) as {
      root: { children: unknown[] };
    };
    (outline.root.children[1] as Record<string, unknown>).needs = 'build';
    expect(() => checkOutline(outline, 'history runs id x plan')).toThrow(
      /history runs id x plan root children\[1\]: needs is "build", expected a list/,
    );
    expect(() => checkOutline([], 'p')).toThrow(/not an object/);
  });

  it('keeps at most MAX_OUTLINE_NODES nodes of a huge generated plan', () => {
    const huge = plan(Array.from({ length: MAX_OUTLINE_NODES + 500 }, (_, i) => command(`s${i}`, 'true')));
    const outline = planOutline(huge);
    expect(count(outline.root)).toBe(MAX_OUTLINE_NODES);
    expect(JSON.stringify(outline).length).toBeLessThan(MAX_OUTLINE_NODES * 300);
  });
});

describe('the page draws the plan as `tasker plan --format mermaid` does', () => {
  const graph = buildGraph(planOutline(everyKindPlan()));

  it('has the same edges as the mermaid chart, label for label', () => {
    expect(graphEdges(graph)).toEqual(mermaidEdges(renderPlanMermaid(everyKindPlan())));
  });

  it('marks on each box how its step repeats: hosts, retries, loop', () => {
    const badges = new Map(graph.nodes.map((n) => [n.title, n.badge]));
    expect(badges.get('upload')).toBe('2 hosts · retry 3');
    expect(badges.get('build')).toBe('');
  });

  it('lays the boxes out top-down without overlaps, every flow edge going down', () => {
    const layout = layoutGraph(graph);
    const at = new Map(layout.placed.map((p) => [p.node.key, p]));
    for (const e of graph.edges.filter((x) => x.kind === 'flow'))
      expect(at.get(e.to)!.layer, `${e.from}->${e.to}`).toBeGreaterThan(at.get(e.from)!.layer);
    for (const a of layout.placed) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.h).toBeLessThanOrEqual(layout.height);
      for (const b of layout.placed)
        if (a !== b)
          expect(
            a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y,
            `${a.node.title} overlaps ${b.node.title}`,
          ).toBe(true);
    }
  });

  it('lays out the capped outline of a huge plan quickly enough to draw (no quadratic blow-up)', () => {
    const huge = plan(Array.from({ length: 5000 }, (_, i) => command(`s${i}`, 'true')));
    const g = buildGraph(planOutline(huge));
    const layout = layoutGraph(g);
    expect(layout.placed.length).toBe(g.nodes.length);
    expect(g.nodes.length).toBeLessThanOrEqual(MAX_OUTLINE_NODES + 2);
  });
});

describe('a node takes the status of its step rows', () => {
  let seq = 0;
  const row = (id: string, host: string | null, status: string, kind = 'command'): StepView =>
    ({ seq: ++seq, id, host, kind, status, attempts: [] }) as unknown as StepView;

  it('is running while any host runs; a fan-out counts the plan hosts not started yet', () => {
    const totals = fanoutTotals(planOutline(everyKindPlan()).root);
    expect(totals.get('upload')).toBe(2);
    const live = nodeStates('r1', [row('build', null, 'ok'), row('upload', 'web1', 'failed')], totals);
    expect(live.get('build')).toEqual({
      status: 'ok',
      href: expect.stringMatching(/^\/runs\/r1\/steps\/\d+$/) as unknown,
    });
    expect(live.get('upload')).toMatchObject({
      status: 'failed',
      sub: '1/2 done · 1 failing',
      tip: 'upload: hosts: 1/2 done · 1 failed',
    });
    const running = nodeStates('r1', [row('upload', 'web1', 'ok'), row('upload', 'web2', 'running')], totals);
    expect(running.get('upload')).toMatchObject({
      status: 'running',
      sub: '1/2 done',
      href: '#step-upload',
    });
  });

  it("takes a fan-out's own row (its verdict over the hosts) once it ended, and never links a block", () => {
    const states = nodeStates('r1', [
      row('upload', 'web1', 'failed'),
      row('upload', 'web2', 'ok'),
      row('upload', null, 'ok', 'fanout'),
      row('steps.3', null, 'failed', 'parallel'),
    ]);
    expect(states.get('upload')?.status).toBe('ok');
    expect(states.get('steps.3')).toEqual({ status: 'failed' });
    expect(nodeStates('r1', []).size).toBe(0);
  });
});
